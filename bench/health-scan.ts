/**
 * A full Customer Success health scan of 10,000 accounts end to end through the agent (run manager,
 * checkpointed graph, scan rows, history, records writes, events, alerts), against a baseline measured in
 * the same run on an identical copy of the store: read the same rows, score them with the same domain
 * functions, write them back in one transaction.
 *   npx tsx bench/health-scan.ts [--accounts N]
 * Targets: ratio agent/baseline >= 0.5, peak RSS of the agent phase < 300 MB.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { testConfig } from "../src/config.js";
import { daysSince, daysUntil } from "../src/domain/calendar.js";
import { assessChurn } from "../src/domain/churn.js";
import { scoreCsmHealth } from "../src/domain/health/csm-score.js";
import type { Account } from "../src/domain/types.js";
import { buildRuntime } from "../src/runtime.js";
import { openStore } from "../src/store/db.js";

const { values } = parseArgs({ options: { accounts: { type: "string", default: "10000" } } });
const N = Number(values.accounts);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

/** Seed in a child process, so the generator's memory is not counted in this process's peak. */
function seed(dataDir: string): void {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", path.join(root, "src/cli/index.ts"), "seed-demo", "--accounts", String(N)],
    {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  if (r.status !== 0) throw new Error(`seeding failed (exit ${r.status})`);
}

async function agentScan(dataDir: string) {
  // Not started: the scan alone is measured, not other parts' durable subscribers reacting to its events.
  const runtime = await buildRuntime(testConfig({ DATA_DIR: dataDir, DEMO_BOOK: "false" }));
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t0 = process.hrtime.bigint();
  const run = await runtime.runs.dispatchAndWait(
    { agent_id: "customer-success", task: { type: "health_scan" } },
    3_600_000,
  );
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const t1 = process.hrtime.bigint();
  const again = await runtime.runs.dispatchAndWait(
    { agent_id: "customer-success", task: { type: "health_scan" } },
    3_600_000,
  );
  const againMs = Number(process.hrtime.bigint() - t1) / 1e6;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const result = run.result as { scored: number; skipped: unknown[]; alerts_raised: unknown[] };
  if (run.status !== "succeeded" || again.status !== "succeeded") {
    throw new Error(`scan ${run.status}/${again.status}: ${run.error ?? again.error}`);
  }
  const history = await runtime.store.db
    .selectFrom("health_history")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("run_id", "=", run.run_id)
    .executeTakeFirstOrThrow();
  await runtime.close({ graceMs: 0 });
  return { ms, againMs, peak, result, historyRows: Number(history.n) };
}

/** Read the same rows, score them with the same domain functions, write them back in one transaction. */
async function baseline(dataDir: string) {
  const store = await openStore(path.join(dataDir, "account-team.db"));
  const now = new Date();
  const t0 = process.hrtime.bigint();
  const rows = await store.db.selectFrom("accounts").select(["id", "data"]).execute();
  const open = new Map(
    (
      await store.db
        .selectFrom("tickets")
        .select(["account_id", sql<number>`count(*)`.as("n")])
        .where("status", "in", ["Open", "Pending"])
        .groupBy("account_id")
        .execute()
    ).map((r) => [r.account_id, Number(r.n)]),
  );
  const updates: Array<{ id: string; data: string }> = [];
  for (const row of rows) {
    const account = JSON.parse(row.data) as Account;
    if (account.status === "Churned") continue;
    try {
      const health = scoreCsmHealth(account, { now, openTickets: open.get(account.id) ?? 0 });
      const churn = assessChurn({
        rag: health.rag,
        renewal_days: daysUntil(account.renewal_date, now),
        usage_trend: account.usage_trend,
        days_since_login: daysSince(account.last_login, now),
        trend_direction: null,
        previous_rag: null,
      });
      const next = {
        ...account,
        csm_health_score: health.score,
        csm_health_rag: health.rag,
        churn_risk: churn.level,
        csm_last_scan: now.toISOString(),
      };
      updates.push({ id: account.id, data: JSON.stringify(next) });
    } catch {
      // Unusable signals: skipped, as the agent does.
    }
  }
  await store.db.transaction().execute(async (trx) => {
    for (const u of updates) {
      await trx
        .updateTable("accounts")
        .set({ data: u.data, updated_at: now.toISOString() })
        .where("id", "=", u.id)
        .execute();
    }
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  await store.close();
  return { ms, scored: updates.length };
}

async function main() {
  const agentDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-health-agent-"));
  const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-health-base-"));
  const s0 = Date.now();
  seed(agentDir);
  for (const f of fs.readdirSync(agentDir)) fs.copyFileSync(path.join(agentDir, f), path.join(baseDir, f));
  console.log(`seeded ${N} accounts in ${Date.now() - s0} ms (child process)`);

  const agent = await agentScan(agentDir);
  const peakRss = Math.max(agent.peak, process.resourceUsage().maxRSS * 1024);
  const base = await baseline(baseDir);

  const agentRate = N / (agent.ms / 1000);
  const againRate = N / (agent.againMs / 1000);
  const baseRate = N / (base.ms / 1000);
  const ratio = agentRate / baseRate;
  console.log(
    `accounts: ${N}; scored ${agent.result.scored}, skipped ${agent.result.skipped.length}, alerts ${agent.result.alerts_raised.length}, history rows ${agent.historyRows}`,
  );
  console.log(
    `agent scan (first, every account changed): ${agentRate.toFixed(0)} accounts/s (${agent.ms.toFixed(0)} ms)`,
  );
  console.log(
    `agent scan (again, nothing to rewrite):    ${againRate.toFixed(0)} accounts/s (${agent.againMs.toFixed(0)} ms)`,
  );
  console.log(
    `baseline (read, score, one write txn):     ${baseRate.toFixed(0)} accounts/s (${base.ms.toFixed(0)} ms, ${base.scored} scored)`,
  );
  console.log(
    `ratio agent/baseline: ${ratio.toFixed(2)} (target >= 0.5) ${ratio >= 0.5 ? "OK" : "BELOW TARGET"}`,
  );
  console.log(
    `peak RSS (agent phase): ${mb(peakRss)} MB (target < 300) ${peakRss < 300 * 1024 * 1024 ? "OK" : "ABOVE TARGET"}`,
  );
  fs.rmSync(agentDir, { recursive: true, force: true });
  fs.rmSync(baseDir, { recursive: true, force: true });
}

await main();
