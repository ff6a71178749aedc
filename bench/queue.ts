/**
 * Reading a CSM's top 50 from a queue of 100,000 tasks: p50/p95 of the exact, always-current
 * priority listing (TaskQueue.list: scores computed at read time), against a plain indexed SELECT of the
 * same 50 rows measured in the same run. Also checks the listing against a brute-force ranking of every
 * open task, for page 1 and page 2.
 *   npx tsx bench/queue.ts [--tasks N] [--csms N] [--reads N]
 *
 * The book: 8,000 customers across --csms CSMs with skewed books (the largest owns several times the
 * smallest), the demo status mix (60% completed, 20% in progress, 15% pending, 5% escalated/blocked),
 * open tasks created over the last 30 days so many are overdue (the overdue term dominates: the hard case
 * for the ranking's bound), ARR 10k-2M, churn levels low..critical, renewals within +-400 days.
 *
 * The score floors are taken as the daily generation run takes them (06:30, the reads at 10:00). For
 * comparison the bench also counts the rows a listing reads with the static part alone (as of 06:00,
 * before the floors: what a listing falls back to when a floor is newer than its instant).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { LocalRecords } from "../src/adapters/records/local.js";
import { ManualClock } from "../src/clock.js";
import { testConfig } from "../src/config.js";
import { Prng } from "../src/demo/prng.js";
import { MS_PER_DAY, MS_PER_HOUR } from "../src/domain/calendar.js";
import { EventBus } from "../src/events/bus.js";
import { createLogger } from "../src/logger.js";
import { readQueue } from "../src/queue/queue-read.js";
import { currentScore, staticScore } from "../src/queue/scoring.js";
import { TaskQueue } from "../src/queue/service.js";
import { OPEN_STATUS_SQL } from "../src/queue/task-writer.js";
import { openStore } from "../src/store/db.js";
import { SideEffects } from "../src/store/side-effects.js";

const { values } = parseArgs({
  options: {
    tasks: { type: "string", default: "100000" },
    csms: { type: "string", default: "20" },
    reads: { type: "string", default: "400" },
  },
});
const TASKS = Number(values.tasks);
const CSMS = Number(values.csms);
const READS = Number(values.reads);
const CUSTOMERS = 8000;
const NOW = new Date("2026-03-18T10:00:00.000Z");
const FLOORS_AT = new Date("2026-03-18T06:30:00.000Z");

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-queue-"));
  const store = await openStore(path.join(dir, "bench.db"));
  const clock = new ManualClock(NOW);
  const log = createLogger("silent");
  const config = testConfig({ DATA_DIR: dir });
  const bus = new EventBus(store.db, log, clock);
  const records = new LocalRecords(store.db, new SideEffects(store.db, clock), clock);
  const queue = new TaskQueue({ db: store.db, bus, records, clock, config, log });
  const catalog = await queue.catalog();
  const rng = new Prng(2026);

  // Customers with skewed CSM books: CSM i gets weight 1/(i+1)^0.8.
  const csmIds = Array.from({ length: CSMS }, (_, i) => `csm${String(i).padStart(2, "0")}@example.com`);
  const weights = csmIds.map((id, i) => [id, 1 / (i + 1) ** 0.8] as const);
  const customers = Array.from({ length: CUSTOMERS }, (_, i) => {
    const arr = Math.round(10_000 * 200 ** rng.next());
    return {
      id: `acc_${String(i).padStart(5, "0")}`,
      csm: rng.weighted(weights),
      arr,
      tier: arr >= 500_000 ? "vip" : arr >= 150_000 ? "high_value" : arr >= 30_000 ? "standard" : "low_value",
      churn: rng.weighted([
        ["low", 50],
        ["medium", 30],
        ["high", 14],
        ["critical", 6],
      ] as const),
      renewal: new Date(NOW.getTime() + rng.float(-30, 400) * MS_PER_DAY).toISOString().slice(0, 10),
    };
  });

  // Statuses in the demo mix; open tasks take distinct (customer, type) slots.
  const types = catalog.taskTypes;
  const slots = customers.flatMap((c) => types.map((t) => ({ c, t })));
  rng.shuffle(slots);
  const open = Math.round(TASKS * 0.35);
  const insert = store.sqlite.prepare(`INSERT INTO csm_tasks (customer_id, customer_name, csm_id, task_type,
    task_type_id, playbook_id, priority, status, due_date, snooze_until, quality_gates_completed, metadata, source,
    arr, tier, churn_risk, renewal_date, static_score, created_at, updated_at, started_at, completed_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', '{}', 'bench', ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const t0 = process.hrtime.bigint();
  store.sqlite.transaction(() => {
    for (let i = 0; i < TASKS; i++) {
      const isOpen = i < open;
      const { c, t } = isOpen ? slots[i]! : { c: rng.pick(customers), t: rng.pick(types) };
      const createdMs = NOW.getTime() - rng.float(0, isOpen ? 30 : 200) * MS_PER_DAY;
      const status = isOpen
        ? rng.chance(20 / 35)
          ? "in_progress"
          : rng.chance(0.1)
            ? "snoozed"
            : "pending"
        : rng.weighted([
            ["completed", 60],
            ["escalated", 3],
            ["blocked", 2],
          ] as const);
      const snooze =
        status === "snoozed" ? new Date(NOW.getTime() + rng.float(-3, 5) * MS_PER_DAY).toISOString() : null;
      const created = new Date(createdMs).toISOString();
      insert.run(
        c.id,
        `Customer ${c.id}`,
        c.csm,
        t.slug,
        t.id,
        t.playbook_id,
        t.default_priority,
        status,
        new Date(createdMs + t.sla_hours * MS_PER_HOUR).toISOString(),
        snooze,
        c.arr,
        c.tier,
        c.churn,
        c.renewal,
        staticScore(
          { arr: c.arr, tier: c.tier, churn_risk: c.churn, priority: t.default_priority },
          queue.probabilities,
        ),
        created,
        created,
        status === "pending" ? null : created,
        status === "completed" ? created : null,
      );
    }
  })();
  console.log(
    `tasks: ${TASKS} (${open} open) for ${CUSTOMERS} customers and ${CSMS} CSMs, loaded in ${ms(t0).toFixed(0)} ms`,
  );
  clock.set(FLOORS_AT);
  const tf = process.hrtime.bigint();
  const floors = await queue.refreshScoreFloors();
  console.log(`score floors taken at 06:30 for ${floors} open tasks in ${ms(tf).toFixed(0)} ms (daily job)`);
  clock.set(NOW);
  store.sqlite.exec("ANALYZE");

  const openBy = new Map<string, number>();
  for (const r of await store.db
    .selectFrom("csm_tasks")
    .select(["csm_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where(OPEN_STATUS_SQL)
    .groupBy("csm_id")
    .execute())
    openBy.set(r.csm_id, Number(r.n));
  const sizes = [...openBy.values()].sort((a, b) => a - b);
  console.log(`open tasks per CSM: min ${sizes[0]}, median ${percentile(sizes, 50)}, max ${sizes.at(-1)}`);

  // Exactness: page 1 and page 2 against a brute-force ranking of every visible open task.
  const nowIso = NOW.toISOString();
  for (const csm of [csmIds[0]!, csmIds[CSMS - 1]!]) {
    const all = await store.db
      .selectFrom("csm_tasks")
      .selectAll()
      .where("csm_id", "=", csm)
      .where(OPEN_STATUS_SQL)
      .execute();
    const brute = all
      .filter((r) => r.status !== "snoozed" || (r.snooze_until ?? "") <= nowIso)
      .map((r) => ({ id: r.id, score: currentScore(r, NOW, queue.probabilities) }))
      .sort((a, b) => b.score - a.score || b.id - a.id);
    const p1 = await queue.list({ csm_id: csm }, { limit: 50 });
    const p2 = await queue.list({ csm_id: csm }, { limit: 50, cursor: p1.next_cursor });
    const got = [...p1.items, ...p2.items].map((t) => `${t.id}:${t.priority_score}`).join(",");
    const want = brute
      .slice(0, 100)
      .map((t) => `${t.id}:${t.score}`)
      .join(",");
    if (got !== want || p1.total !== brute.length)
      throw new Error(`ranking differs from brute force for ${csm}`);
  }
  console.log("exactness: pages 1 and 2 equal a brute-force ranking (largest and smallest book)");

  // Timed reads, the CSMs in turn; the baseline reads the same 50 rows by primary key, then by an index.
  const listMs: number[] = [];
  const page2Ms: number[] = [];
  const sameRowsMs: number[] = [];
  const indexedMs: number[] = [];
  const heavyMs: number[] = [];
  const rowsRead: number[] = [];
  const rowsReadStatic: number[] = [];
  const staticMs: number[] = [];
  const heaviest = [...openBy.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  for (let i = 0; i < 20; i++) await queue.list({ csm_id: csmIds[i % CSMS]! }, { limit: 50 }); // warm-up
  for (let i = 0; i < READS; i++) {
    const csm = csmIds[i % CSMS]!;
    let t = process.hrtime.bigint();
    const page = await queue.list({ csm_id: csm }, { limit: 50 });
    const took = ms(t);
    listMs.push(took);
    if (csm === heaviest) heavyMs.push(took);

    const ids = page.items.map((x) => x.id);
    t = process.hrtime.bigint();
    await store.db.selectFrom("csm_tasks").selectAll().where("id", "in", ids).execute();
    sameRowsMs.push(ms(t));

    t = process.hrtime.bigint();
    await store.db
      .selectFrom("csm_tasks")
      .selectAll()
      .where("csm_id", "=", csm)
      .where(OPEN_STATUS_SQL)
      .orderBy("static_score", "desc")
      .orderBy("id", "desc")
      .limit(50)
      .execute();
    indexedMs.push(ms(t));

    t = process.hrtime.bigint();
    await queue.list({ csm_id: csm }, { limit: 50, cursor: page.next_cursor });
    page2Ms.push(ms(t));

    const stats = { rows_read: 0 };
    await readQueue(
      store.db,
      { csm_id: csm },
      { limit: 50, cursor: null, now: NOW, probabilities: queue.probabilities, stats },
    );
    rowsRead.push(stats.rows_read);
    const before = new Date(FLOORS_AT.getTime() - 30 * 60_000);
    t = process.hrtime.bigint();
    await readQueue(
      store.db,
      { csm_id: csm },
      { limit: 50, cursor: null, now: before, probabilities: queue.probabilities, stats },
    );
    staticMs.push(ms(t));
    rowsReadStatic.push(stats.rows_read);
  }

  const line = (name: string, xs: number[]) =>
    console.log(
      `${name.padEnd(44)} p50 ${percentile(xs, 50).toFixed(2)} ms   p95 ${percentile(xs, 95).toFixed(2)} ms`,
    );
  console.log(`reads: ${READS} (each CSM in turn)`);
  line("queue top 50 (exact, scored at read time)", listMs);
  line(`  largest book only (${openBy.get(heaviest)} open)`, heavyMs);
  line("queue page 2 (cursor)", page2Ms);
  line("  static part alone, no floors (as of 06:00)", staticMs);
  line("baseline: SELECT the same 50 rows by id", sameRowsMs);
  line("baseline: indexed ORDER BY static_score LIMIT 50", indexedMs);
  console.log(
    `rows read by the ranking per listing: p50 ${percentile(rowsRead, 50)}, p95 ${percentile(rowsRead, 95)} (of ${percentile(sizes, 50)}-${sizes.at(-1)} open per CSM)`,
  );
  console.log(
    `  with the static part alone: p50 ${percentile(rowsReadStatic, 50)}, p95 ${percentile(rowsReadStatic, 95)}`,
  );
  console.log(
    `ratio queue/same-rows SELECT: p50 ${(percentile(listMs, 50) / percentile(sameRowsMs, 50)).toFixed(1)}x, p95 ${(percentile(listMs, 95) / percentile(sameRowsMs, 95)).toFixed(1)}x`,
  );
  console.log(
    `ratio queue/indexed LIMIT 50:  p50 ${(percentile(listMs, 50) / percentile(indexedMs, 50)).toFixed(1)}x, p95 ${(percentile(listMs, 95) / percentile(indexedMs, 95)).toFixed(1)}x`,
  );
  const p95 = percentile(listMs, 95);
  console.log(`target p95 < 25 ms: ${p95 < 25 ? "met" : "MISSED"} (${p95.toFixed(2)} ms)`);
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
