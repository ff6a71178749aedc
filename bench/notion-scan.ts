/**
 * Customer Success health scans of a book held in Notion, through the Notion records store and its one
 * client-side limiter, against the loopback Notion emulator enforcing the same rate (Notion's 3 requests/s
 * by default), with the client's real retry policies.
 *   npx tsx bench/notion-scan.ts [--accounts 1000] [--rate 3]
 * Two scans: the first writes every account (no account has scores yet), the second runs at the same
 * instant so no score changes and nothing is written. For each it prints the requests sent, the achieved
 * requests/s divided by the limit (target >= 0.9 for the first: the limiter, not the code, sets the pace),
 * the busiest 10-second window against the limit (must stay <= 1), and requests per account (targets
 * <= 1.05 when every score changes, about 0.01 when none does).
 * At 3 requests/s a scan of 1,000 accounts takes about six minutes; --accounts 100 for a quick look.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { NotionApi } from "../src/adapters/records/notion/client.js";
import { accountToProperties, ticketToProperties } from "../src/adapters/records/notion/page-records.js";
import { NotionRecords } from "../src/adapters/records/notion/records.js";
import { createNotionDatabases } from "../src/adapters/records/notion/setup.js";
import { customerSuccessAgent } from "../src/agents/customer-success/index.js";
import { ManualClock, systemClock } from "../src/clock.js";
import { testConfig } from "../src/config.js";
import { generateDemoBook } from "../src/demo/book.js";
import { createLogger } from "../src/logger.js";
import { buildRuntime } from "../src/runtime.js";
import { openStore } from "../src/store/db.js";
import { NotionEmulator } from "../test/emulators/notion.js";

const { values } = parseArgs({
  options: { accounts: { type: "string", default: "1000" }, rate: { type: "string", default: "3" } },
});
const N = Number(values.accounts);
const RATE = Number(values.rate);
const WINDOW_MS = 10_000;
const NOW = new Date("2026-03-02T09:00:00.000Z");

/** Most requests in any window [t, t + windowMs) of the given arrival times. */
function busiestWindow(times: number[], windowMs: number): number {
  let best = 0;
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

const ok = (pass: boolean) => (pass ? "OK" : "MISSED");

async function main() {
  // Notion's own limiter, switched on once the book is loaded (loading bypasses HTTP anyway).
  const emu = await NotionEmulator.start({ rateLimit: null });
  const setupApi = new NotionApi({ token: emu.token, baseUrl: emu.url, ratePerSec: 1000 });
  const made = await createNotionDatabases(setupApi, emu.addParentPage());
  const db = Object.fromEntries(made.map((m) => [m.key, m.database_id]));
  const ds = Object.fromEntries(made.map((m) => [m.key, m.data_source_id]));

  // Every account scorable, so that on the first scan every score changes: churned customers (which
  // the scan skips by rule) are made active.
  const book = generateDemoBook({ accounts: N, seed: 42, now: NOW });
  const pageOf = new Map<string, string>();
  for (const a of book.accounts) {
    const account = a.status === "Churned" ? { ...a, status: "Active" as const } : a;
    pageOf.set(a.id, emu.addPage(ds.accounts!, accountToProperties(account)));
  }
  for (const t of book.tickets) {
    const { id: _id, ...rest } = t;
    emu.addPage(ds.tickets!, ticketToProperties({ ...rest, account_id: pageOf.get(t.account_id)! }));
  }
  emu.rateLimit = { ratePerSec: RATE, burst: Math.max(3, Math.ceil(RATE * 2)) };
  console.log(
    `book: ${N} accounts, ${book.tickets.length} tickets in the emulator; Notion limit ${RATE} requests/s`,
  );

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-notion-scan-"));
  const config = testConfig({ DATA_DIR: dataDir, DEMO_BOOK: "false" });
  const api = new NotionApi({ token: emu.token, baseUrl: emu.url, ratePerSec: RATE });
  const log = createLogger("silent");
  // The records store keeps its outbox and page keys in the service's store, as in runtime.ts.
  const store = await openStore(config.dbPath);
  const records = new NotionRecords({ api, db: store.db, clock: systemClock, log, databases: db });
  // Not started: the scan alone is measured, not other parts reacting to its events.
  const runtime = await buildRuntime(config, {
    agents: [customerSuccessAgent],
    clock: new ManualClock(NOW.toISOString()),
    log,
    adapters: { records },
  });
  await records.start(); // resolves the four data sources (8 requests, not counted below)

  const scan = async (label: string) => {
    const from = emu.requests.length;
    const ops = { ...api.stats.byOp };
    const t0 = performance.now();
    const run = await runtime.runs.dispatchAndWait(
      { agent_id: "customer-success", task: { type: "health_scan" } },
      24 * 3_600_000,
    );
    const seconds = (performance.now() - t0) / 1000;
    if (run.status !== "succeeded")
      throw new Error(`${label}: scan ${run.status}: ${JSON.stringify(run.result)}`);
    const sent = emu.requests.slice(from);
    const result = run.result as { scanned: number; scored: number; skipped: unknown[] };
    const byOp = Object.entries(api.stats.byOp)
      .map(([op, n]) => [op, n - (ops[op] ?? 0)] as const)
      .filter(([, n]) => n > 0)
      .map(([op, n]) => `${op} ${n}`)
      .join(", ");
    const written = api.stats.byOp["pages.update"]! - (ops["pages.update"] ?? 0);
    const rate = sent.length / seconds / RATE;
    const busiest = busiestWindow(
      sent.map((r) => r.at),
      WINDOW_MS,
    );
    const limited = sent.filter((r) => r.status === 429).length;
    const perAccount = sent.length / N;
    console.log(`\n${label}: scanned ${result.scanned}, scored ${result.scored}, account writes ${written}`);
    console.log(
      `  requests ${sent.length} in ${seconds.toFixed(1)} s (${byOp}); 429s from Notion: ${limited}`,
    );
    console.log(`  requests per account: ${perAccount.toFixed(3)}`);
    console.log(`  achieved requests/s / limit: ${rate.toFixed(3)}`);
    console.log(
      `  busiest ${WINDOW_MS / 1000}-s window: ${busiest} requests / ${RATE * (WINDOW_MS / 1000)} allowed = ` +
        `${(busiest / (RATE * (WINDOW_MS / 1000))).toFixed(3)} ${ok(busiest <= RATE * (WINDOW_MS / 1000))}`,
    );
    return { perAccount, rate, written };
  };

  const first = await scan("scan 1 (every score changes)");
  console.log(`  target: requests/s / limit >= 0.9 ${ok(first.rate >= 0.9)}`);
  console.log(`  target: requests per account <= 1.05 ${ok(first.perAccount <= 1.05)}`);
  const second = await scan("scan 2 (same instant, no score changes)");
  console.log(
    `  target: requests per account about 0.01 (${second.perAccount.toFixed(3)}, writes ${second.written})`,
  );

  await records.close();
  await runtime.close({ graceMs: 0 });
  await store.close();
  await emu.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

await main();
