/**
 * A full Customer Success health scan of 10,000 accounts end to end through the agent (run manager,
 * checkpointed graph, scan rows, health history, records writes, events, alerts), against a baseline on
 * an identical copy of the store: read the same rows, score them with the same domain function, write
 * them back in one transaction.
 *   npx tsx bench/health-scan.ts [--accounts N] [--reps R]
 * Targets: ratio agent/baseline >= 0.5, peak RSS of the agent process < 300 MB.
 *
 * The baseline. The agent scores an account from its record, its open tickets, its health history (the
 * 30-day trend and the previous scan) and the TAM escalations it received: scoreAccount, the domain rules
 * (health score, trend, churn). The baseline reads exactly those rows (accounts, ticket counts, and the
 * history and escalations through the scan's own readers), scores each account with scoreAccount, and
 * writes the score, RAG, churn level and scan time back to every scored account in one transaction.
 * Both sides judge the book at the same instant, and the bench checks that they wrote the same values.
 * For reference the narrower baseline of earlier versions of this bench is printed too: it reads no
 * history or escalations and judges churn without the trend (scoreCsmHealth and assessChurn alone), so
 * it does less than the scan's domain function; the bench counts the accounts where its values differ.
 *
 * Method. Each measurement runs in a fresh child process on a fresh copy of the seeded store, agent and
 * baseline alternating which goes first, R times (5 by default); the ratio is that of the medians. Before
 * its timed pass each child does the same work once, untimed, on a small book (1,000 accounts), so both
 * sides are measured with warm code: measured in one process one after the other, the second side rides
 * on the JIT warm-up of the first, and a single pass on a shared machine swings by a factor of two.
 * Peak RSS comes from one more child that does what a service does after boot, with no warm-up: the
 * scan of the book and a second scan of it; its maximum resident set (process.resourceUsage().maxRSS)
 * counts everything, module loading included. Its first scan is printed too, as the cold figure.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import { countEscalations, loadHistory } from "../src/agents/customer-success/history.js";
import { scoreAccount } from "../src/agents/customer-success/scoring.js";
import { csmSettings } from "../src/agents/customer-success/settings.js";
import type { Clock } from "../src/clock.js";
import { testConfig } from "../src/config.js";
import { daysSince, daysUntil } from "../src/domain/calendar.js";
import { assessChurn } from "../src/domain/churn.js";
import { scoreCsmHealth } from "../src/domain/health/csm-score.js";
import type { Account } from "../src/domain/types.js";
import { buildRuntime } from "../src/runtime.js";
import { openStore, type StoreHandle } from "../src/store/db.js";

const { values } = parseArgs({
  options: {
    accounts: { type: "string", default: "10000" },
    reps: { type: "string", default: "5" },
    // Internal: a child process measuring one side.
    worker: { type: "string" },
    data: { type: "string" },
    warm: { type: "string" },
    at: { type: "string" },
  },
});
const N = Number(values.accounts);
const REPS = Number(values.reps);
const WARM_ACCOUNTS = 1000;
const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), "..");
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const elapsedMs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** Seed in a child process, so the generator's memory is counted nowhere. */
function seed(dataDir: string, accounts: number): void {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", path.join(root, "src/cli/index.ts"), "seed-demo", "--accounts", String(accounts)],
    {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  if (r.status !== 0) throw new Error(`seeding failed (exit ${r.status})`);
}

function copyStore(from: string, tag: string): string {
  const to = fs.mkdtempSync(path.join(os.tmpdir(), `bench-health-${tag}-`));
  for (const f of fs.readdirSync(from)) fs.copyFileSync(path.join(from, f), path.join(to, f));
  return to;
}

interface AgentFigures {
  ms: number;
  againMs: number;
  maxRss: number;
  scored: number;
  skipped: number;
  alerts: number;
  historyRows: number;
  written: Written;
}

/** What a scan wrote to the accounts, as one line per scored account: compared between the two sides. */
type Written = Record<string, string>;

async function writtenValues(store: StoreHandle): Promise<Written> {
  const rows = await store.db.selectFrom("accounts").select(["id", "data"]).execute();
  const out: Written = {};
  for (const r of rows) {
    const a = JSON.parse(r.data) as Account;
    if (a.csm_health_score !== null) out[a.id] = `${a.csm_health_score}|${a.csm_health_rag}|${a.churn_risk}`;
  }
  return out;
}

/**
 * Scan the book twice. With `at`, the first scan judges the book at that instant (the clock is set so
 * the scan starts there; the second scan is that much later as real time passed). With `digest`, what
 * the first scan wrote is read back for the comparison with the baseline.
 */
async function agentScan(dataDir: string, at?: number, digest = false) {
  const offset = { ms: 0 };
  const clock: Clock = { now: () => new Date(Date.now() + offset.ms) };
  // Not started: the scan alone is measured, not other parts' durable subscribers reacting to its events.
  const runtime = await buildRuntime(testConfig({ DATA_DIR: dataDir, DEMO_BOOK: "false" }), { clock });
  const scan = () =>
    runtime.runs.dispatchAndWait({ agent_id: "customer-success", task: { type: "health_scan" } }, 3_600_000);
  if (at !== undefined) offset.ms = at - Date.now();
  const t0 = process.hrtime.bigint();
  const run = await scan();
  const ms = elapsedMs(t0);
  // Read back outside the timing, and not in the run whose memory is reported (it parses the whole book).
  const written = digest ? await writtenValues(runtime.store) : {};
  const t1 = process.hrtime.bigint();
  const again = await scan();
  const againMs = elapsedMs(t1);
  if (run.status !== "succeeded" || again.status !== "succeeded") {
    throw new Error(`scan ${run.status}/${again.status}: ${run.error ?? again.error}`);
  }
  const result = run.result as { scored: number; skipped: unknown[]; alerts_raised: unknown[] };
  const history = await runtime.store.db
    .selectFrom("health_history")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("run_id", "=", run.run_id)
    .executeTakeFirstOrThrow();
  await runtime.close({ graceMs: 0 });
  return {
    ms,
    againMs,
    scored: result.scored,
    skipped: result.skipped.length,
    alerts: result.alerts_raised.length,
    historyRows: Number(history.n),
    written,
  };
}

/**
 * The baseline: read the rows the scan scores from (accounts, open-ticket counts, health history,
 * escalations), score each account with the scan's domain function, write the results back in one
 * transaction.
 */
async function baseline(dataDir: string, at?: number) {
  const store = await openStore(path.join(dataDir, "account-team.db"));
  const settings = csmSettings(testConfig({ DATA_DIR: dataDir }));
  const now = new Date(at ?? Date.now());
  const t0 = process.hrtime.bigint();
  const accounts: Account[] = [];
  for (const row of await store.db.selectFrom("accounts").select(["id", "data"]).execute()) {
    try {
      accounts.push(JSON.parse(row.data) as Account);
    } catch {
      // Unreadable: skipped, as the agent does.
    }
  }
  const ids = accounts.map((a) => a.id);
  const open = await openTicketCounts(store);
  const history = await loadHistory(store.db, ids, "baseline", now);
  const escalations = await countEscalations(store.db, ids, now);
  const updates: Array<{ id: string; data: string }> = [];
  const written: Written = {};
  for (const account of accounts) {
    const h = history.get(account.id);
    const o = scoreAccount(
      {
        account,
        openTickets: open.get(account.id) ?? 0,
        extraEscalations: escalations.get(account.id) ?? 0,
        history: h?.history ?? [],
        previous: h?.previous ?? null,
      },
      now,
      settings,
    );
    if (o.kind !== "scored") continue;
    const next = {
      ...account,
      csm_health_score: o.score,
      csm_health_rag: o.rag,
      churn_risk: o.churn_level,
      csm_last_scan: now.toISOString(),
    };
    updates.push({ id: account.id, data: JSON.stringify(next) });
    written[account.id] = `${o.score}|${o.rag}|${o.churn_level}`;
  }
  await writeBack(store, updates, now);
  const ms = elapsedMs(t0);
  await store.close();
  return { ms, scored: updates.length, written };
}

/** Open (Open or Pending) tickets per account, in one grouped query. */
async function openTicketCounts(store: StoreHandle): Promise<Map<string, number>> {
  const rows = await store.db
    .selectFrom("tickets")
    .select(["account_id", sql<number>`count(*)`.as("n")])
    .where("status", "in", ["Open", "Pending"])
    .groupBy("account_id")
    .execute();
  return new Map(rows.map((r) => [r.account_id, Number(r.n)]));
}

async function writeBack(store: StoreHandle, updates: Array<{ id: string; data: string }>, now: Date) {
  await store.db.transaction().execute(async (trx) => {
    for (const u of updates) {
      await trx
        .updateTable("accounts")
        .set({ data: u.data, updated_at: now.toISOString() })
        .where("id", "=", u.id)
        .execute();
    }
  });
}

/** The baseline of earlier runs, for reference: no history or escalations read, churn without the trend. */
async function narrowBaseline(dataDir: string, at?: number) {
  const store = await openStore(path.join(dataDir, "account-team.db"));
  const now = new Date(at ?? Date.now());
  const t0 = process.hrtime.bigint();
  const rows = await store.db.selectFrom("accounts").select(["id", "data"]).execute();
  const open = await openTicketCounts(store);
  const updates: Array<{ id: string; data: string }> = [];
  const written: Written = {};
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
      written[account.id] = `${health.score}|${health.rag}|${churn.level}`;
    } catch {
      // Unusable signals: skipped, as the agent does.
    }
  }
  await writeBack(store, updates, now);
  const ms = elapsedMs(t0);
  await store.close();
  return { ms, scored: updates.length, written };
}

/**
 * A child: warm up on the small book (unless cold), then measure one side on the full one, judging it at
 * `at`; one JSON line on stdout.
 */
async function worker(kind: string, dataDir: string, warmDir: string | undefined, at: number): Promise<void> {
  let out: object;
  if (kind === "agent") {
    if (warmDir) await agentScan(warmDir);
    // The warm runs are compared with the baseline; the cold one reports memory, so reads nothing back.
    out = {
      ...(await agentScan(dataDir, at, warmDir !== undefined)),
      maxRss: process.resourceUsage().maxRSS * 1024,
    };
  } else {
    const side = kind === "baseline" ? baseline : narrowBaseline;
    if (warmDir) await side(warmDir);
    out = await side(dataDir, at);
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

type Kind = "agent" | "baseline" | "narrow";
interface BaseFigures {
  ms: number;
  scored: number;
  written: Written;
}

function measure<T>(kind: Kind, seedDir: string, warmSeedDir: string | null, at: number): T {
  const dataDir = copyStore(seedDir, kind);
  const warmDir = warmSeedDir === null ? null : copyStore(warmSeedDir, `${kind}-warm`);
  try {
    const r = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        self,
        "--worker",
        kind,
        "--data",
        dataDir,
        "--at",
        String(at),
        ...(warmDir ? ["--warm", warmDir] : []),
      ],
      {
        env: { ...process.env, LOG_LEVEL: "silent" },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    if (r.status !== 0) throw new Error(`${kind} worker failed (exit ${r.status})`);
    return JSON.parse(r.stdout.trim().split("\n").at(-1)!) as T;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (warmDir) fs.rmSync(warmDir, { recursive: true, force: true });
  }
}

/** Accounts whose written score, RAG or churn level differ between two sides (or one side lacks). */
function differing(a: Written, b: Written): string[] {
  const ids = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...ids].filter((id) => a[id] !== b[id]).sort();
}

async function main() {
  const seedDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-health-seed-"));
  const warmSeedDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-health-warmseed-"));
  try {
    const s0 = Date.now();
    seed(seedDir, N);
    seed(warmSeedDir, WARM_ACCOUNTS);
    console.log(
      `seeded ${N} accounts (+${WARM_ACCOUNTS} for warm-up) in ${Date.now() - s0} ms (child processes)`,
    );
    // The instant every side judges the book at (the seeded book's dates are relative to seeding).
    const at = Date.now();

    const agents: AgentFigures[] = [];
    const bases: BaseFigures[] = [];
    const narrows: BaseFigures[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      const order: Kind[] = rep % 2 === 0 ? ["agent", "baseline", "narrow"] : ["narrow", "baseline", "agent"];
      for (const kind of order) {
        if (kind === "agent") agents.push(measure<AgentFigures>(kind, seedDir, warmSeedDir, at));
        else
          (kind === "baseline" ? bases : narrows).push(measure<BaseFigures>(kind, seedDir, warmSeedDir, at));
      }
      const last = agents.at(-1)!;
      console.log(
        `  rep ${rep + 1} (warm): agent ${last.ms.toFixed(0)} ms (again ${last.againMs.toFixed(0)} ms), ` +
          `baseline ${bases.at(-1)!.ms.toFixed(0)} ms, narrow baseline ${narrows.at(-1)!.ms.toFixed(0)} ms`,
      );
    }
    const cold = measure<AgentFigures>("agent", seedDir, null, at);
    console.log(
      `  cold (fresh process, no warm-up): agent ${cold.ms.toFixed(0)} ms (again ${cold.againMs.toFixed(0)} ms), ` +
        `peak RSS ${mb(cold.maxRss)} MB`,
    );

    const a = agents[0]!;
    const diff = differing(a.written, bases[0]!.written);
    const narrowDiff = differing(a.written, narrows[0]!.written);
    const agentMs = median(agents.map((x) => x.ms));
    const againMs = median(agents.map((x) => x.againMs));
    const baseMs = median(bases.map((x) => x.ms));
    const narrowMs = median(narrows.map((x) => x.ms));
    const peakRss = cold.maxRss;
    const agentRate = N / (agentMs / 1000);
    const againRate = N / (againMs / 1000);
    const baseRate = N / (baseMs / 1000);
    const narrowRate = N / (narrowMs / 1000);
    const ratio = agentRate / baseRate;
    console.log(
      `accounts: ${N}; scored ${a.scored}, skipped ${a.skipped}, alerts ${a.alerts}, history rows ${a.historyRows}`,
    );
    console.log(
      diff.length === 0
        ? `agent and baseline wrote the same score, RAG and churn level for all ${Object.keys(a.written).length} scored accounts`
        : `WARNING: agent and baseline differ on ${diff.length} accounts (first: ${diff.slice(0, 5).join(", ")})`,
    );
    console.log(`medians of ${REPS} runs, each side warmed up in its own process:`);
    console.log(
      `agent scan (first, every account changed): ${agentRate.toFixed(0)} accounts/s (${agentMs.toFixed(0)} ms)`,
    );
    console.log(
      `agent scan (again, nothing to rewrite):    ${againRate.toFixed(0)} accounts/s (${againMs.toFixed(0)} ms)`,
    );
    console.log(
      `agent scan (cold, first after start):      ${(N / (cold.ms / 1000)).toFixed(0)} accounts/s (${cold.ms.toFixed(0)} ms)`,
    );
    console.log(
      `baseline (same rows, scoreAccount, 1 txn): ${baseRate.toFixed(0)} accounts/s (${baseMs.toFixed(0)} ms, ${bases[0]!.scored} scored)`,
    );
    console.log(
      `narrow baseline (no history, no trend):    ${narrowRate.toFixed(0)} accounts/s (${narrowMs.toFixed(0)} ms), ` +
        `agent/narrow ${(agentRate / narrowRate).toFixed(2)} (reference only: it wrote other values for ${narrowDiff.length} accounts)`,
    );
    console.log(
      `ratio agent/baseline: ${ratio.toFixed(2)} (target >= 0.5) ${ratio >= 0.5 ? "OK" : "BELOW TARGET"}`,
    );
    console.log(
      `peak RSS (agent process, scan and rescan): ${mb(peakRss)} MB (target < 300) ${peakRss < 300 * 1024 * 1024 ? "OK" : "ABOVE TARGET"}`,
    );
  } finally {
    fs.rmSync(seedDir, { recursive: true, force: true });
    fs.rmSync(warmSeedDir, { recursive: true, force: true });
  }
}

if (values.worker) await worker(values.worker, values.data!, values.warm, Number(values.at ?? Date.now()));
else await main();
