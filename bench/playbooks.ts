/**
 * 1,000 playbook executions, each of 5 steps including a wait, run to the end on a fake clock
 * (ManualClock): every execution is started and runs to its wait, the clock jumps past the waits, and the
 * scheduler's tick wakes them all and runs them to the end. Prints the wall time of each phase and the
 * checkpoint bytes per execution, while suspended in the wait and once finished (target <= 50 KB per
 * finished execution: finished threads are pruned to their last checkpoint).
 *   npx tsx bench/playbooks.ts [--executions N] [--concurrency N]
 *
 * The steps: an email draft, a CSM queue task, a 3-day wait, a condition on the health score, and a
 * meeting (a draft invitation and a queue task), all through the real runtime on the embedded default:
 * SQLite store, SqliteSaver checkpoints, local outbox, the task queue.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import SQLite from "better-sqlite3";
import { ManualClock } from "../src/clock.js";
import { testConfig } from "../src/config.js";
import { MS_PER_DAY } from "../src/domain/calendar.js";
import { buildRuntime } from "../src/runtime.js";

const { values } = parseArgs({
  options: {
    executions: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "8" },
  },
});
const N = Number(values.executions);
const TARGET_BYTES = 50 * 1024;

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
/** CPU time of this process (user + system) since `from`, in ms: a figure a busy machine does not inflate. */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1000;
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Bytes of checkpoint data (checkpoints and their pending writes) per thread, over the given threads. */
function checkpointBytes(file: string, threadIds: string[]) {
  const db = new SQLite(file, { readonly: true });
  try {
    const ids = new Set(threadIds);
    const perThread = new Map<string, number>();
    const add = (rows: Array<{ thread_id: string; bytes: number }>) => {
      for (const r of rows)
        if (ids.has(r.thread_id)) perThread.set(r.thread_id, (perThread.get(r.thread_id) ?? 0) + r.bytes);
    };
    add(
      db
        .prepare(
          "SELECT thread_id, SUM(LENGTH(checkpoint) + LENGTH(metadata) + LENGTH(checkpoint_id) + LENGTH(thread_id)) AS bytes FROM checkpoints GROUP BY thread_id",
        )
        .all() as Array<{ thread_id: string; bytes: number }>,
    );
    add(
      db
        .prepare(
          "SELECT thread_id, SUM(LENGTH(value) + LENGTH(channel) + LENGTH(task_id)) AS bytes FROM writes GROUP BY thread_id",
        )
        .all() as Array<{ thread_id: string; bytes: number }>,
    );
    const checkpoints = db.prepare("SELECT COUNT(*) AS n FROM checkpoints").get() as { n: number };
    const sizes = [...perThread.values()];
    const total = sizes.reduce((a, b) => a + b, 0);
    return {
      perExecution: threadIds.length === 0 ? 0 : total / threadIds.length,
      max: sizes.length === 0 ? 0 : Math.max(...sizes),
      checkpoints: checkpoints.n,
    };
  } finally {
    db.close();
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-playbooks-"));
  const clock = new ManualClock("2026-03-02T09:00:00.000Z");
  const config = testConfig({
    DATA_DIR: dir,
    DEMO_BOOK: "true",
    DEMO_BOOK_ACCOUNTS: String(N),
    PLAYBOOK_CONCURRENCY: values.concurrency,
  });
  let t0 = process.hrtime.bigint();
  const runtime = await buildRuntime(config, { clock });
  await runtime.start();
  const bootMs = ms(t0);

  const playbook = await runtime.playbooks.create(
    {
      name: "Bench: five steps",
      steps: [
        {
          id: "hello",
          name: "Hello",
          type: "email",
          to: "csm",
          subject: "{{customer.name}}: checking in",
          body: "Hi {{contact.name}},\n\nYour renewal is on {{renewal_date}}.\n\n{{csm.name}}",
        },
        { id: "prep", name: "Prep", type: "task", task_type: "renewal_prep", note: "Prep {{customer.name}}" },
        { id: "nap", name: "Three days", type: "wait", duration: { days: 3 } },
        {
          id: "healthy",
          name: "Healthy?",
          type: "condition",
          condition: "health_score >= 0 or not (health_score exists)",
          if_true: "meet",
          if_false: "end",
        },
        {
          id: "meet",
          name: "Meet",
          type: "meeting",
          title: "{{customer.name}} sync",
          agenda: "1. Goals\n2. Plan",
          attendees: ["csm"],
          task_type: "day_30_checkin",
        },
      ],
    },
    "bench",
    { publish: true },
  );
  const accounts = await runtime.store.db
    .selectFrom("accounts")
    .select("id")
    .orderBy("id")
    .limit(N)
    .execute();
  if (accounts.length < N) throw new Error(`only ${accounts.length} accounts in the demo book`);
  const engine = runtime.playbooks.engine;

  // Phase 1: start every execution; each runs its email and task steps, then suspends in its wait.
  t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const ids: string[] = [];
  for (const a of accounts) {
    const { execution } = await engine.startExecution({
      playbook_id: playbook.playbook_id,
      account_id: a.id,
      trigger: { type: "manual" },
    });
    ids.push(execution.execution_id);
  }
  await engine.idle();
  const startMs = ms(t0);
  const waiting = (await engine.executions.list({ status: ["waiting"], limit: N + 1 })).length;
  if (waiting !== N) throw new Error(`${waiting} of ${N} executions are waiting`);
  const checkpointsFile = path.join(dir, "checkpoints.db");
  const suspended = checkpointBytes(checkpointsFile, ids);

  // Phase 2: the clock passes the waits; the scheduler tick wakes every execution and runs it to the end.
  clock.advance(3 * MS_PER_DAY + 60_000);
  t0 = process.hrtime.bigint();
  const report = await engine.tick();
  await engine.idle();
  const wakeMs = ms(t0);
  const cpuTotal = cpuMs(cpu0);
  const finished = await engine.executions.list({ status: ["completed"], limit: N + 1 });
  if (finished.length !== N) throw new Error(`${finished.length} of ${N} executions completed`);
  const done = checkpointBytes(checkpointsFile, ids);

  const drafts = await runtime.store.db
    .selectFrom("outbox_drafts")
    .select((e) => e.fn.countAll().as("n"))
    .where("kind", "=", "playbook")
    .executeTakeFirstOrThrow();
  await runtime.close({ graceMs: 1_000 });
  const totalMs = startMs + wakeMs;

  console.log(
    `playbook executions: ${N} x 5 steps (email, task, 3-day wait, condition, meeting), concurrency ${values.concurrency}`,
  );
  console.log(`  boot (demo book of ${N} accounts): ${(bootMs / 1000).toFixed(1)} s (not counted)`);
  console.log(`  start -> suspended in the wait: ${(startMs / 1000).toFixed(2)} s`);
  console.log(`  tick wakes ${report.woken} -> all completed: ${(wakeMs / 1000).toFixed(2)} s`);
  console.log(
    `  total wall time: ${(totalMs / 1000).toFixed(2)} s (${(totalMs / N).toFixed(1)} ms per execution, ${((N * 5) / (totalMs / 1000)).toFixed(0)} steps/s)`,
  );
  console.log(
    `  CPU time (user + system): ${(cpuTotal / 1000).toFixed(2)} s (${(cpuTotal / N).toFixed(1)} ms per execution)`,
  );
  console.log(`  drafts written: ${drafts.n} (2 per execution expected: ${2 * N})`);
  console.log(
    `  checkpoint bytes per execution while suspended in the wait: ${kb(suspended.perExecution)} (max ${kb(suspended.max)}, ${suspended.checkpoints} checkpoints)`,
  );
  console.log(
    `  checkpoint bytes per finished execution: ${kb(done.perExecution)} (max ${kb(done.max)}, ${done.checkpoints} checkpoints) target <= ${kb(TARGET_BYTES)}: ${done.max <= TARGET_BYTES ? "met" : "MISSED"}`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
  if (done.max > TARGET_BYTES) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
