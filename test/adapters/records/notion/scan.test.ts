/**
 * A full Customer Success health scan of 1,000 accounts through the Notion records store, while the
 * emulator answers 429 to 20% of calls and 503 for a 30-second window: every account is scored as the
 * local store scores it, no write is lost (the outbox replays what the outage held back), and the request
 * rate stays within the configured limit over every 10-second window.
 *
 * Time is compressed K times, so the test takes seconds instead of the ~8 minutes 1,000 writes take at
 * 3 requests/s: the limiter runs at 3K requests/s over a window of 10/K s, Retry-After is 1/K s, the
 * outage lasts 30/K s, and the retry budgets and the outbox replay interval are the defaults divided by K.
 * Every ratio between them is as in production; the real-time figures are bench/notion-scan.ts's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalRecords } from "../../../../src/adapters/records/local.js";
import {
  DEFAULT_READ_RETRY,
  DEFAULT_WRITE_RETRY,
  type RetryPolicy,
} from "../../../../src/adapters/records/notion/client.js";
import { customerSuccessAgent } from "../../../../src/agents/customer-success/index.js";
import { ManualClock } from "../../../../src/clock.js";
import { generateDemoBook } from "../../../../src/demo/book.js";
import type { RunRecord } from "../../../../src/graphs/run-manager.js";
import type { Runtime } from "../../../../src/runtime.js";
import { eventually, makeRuntime, tempDataDir } from "../../../helpers/runtime.js";
import { type NotionStack, seedNotion, startNotionStack } from "../../notion-stack.js";

const K = 60;
const RATE = 3 * K;
const WINDOW_MS = 10_000 / K;
const OUTAGE_MS = 30_000 / K;
/** The outage starts when this many account writes have reached Notion, in the middle of persisting. */
const OUTAGE_AFTER_WRITES = 300;
const ACCOUNTS = 1000;
const NOW = "2026-03-02T09:00:00.000Z";

const scaled = (p: RetryPolicy): RetryPolicy => ({
  retries: p.retries,
  minTimeoutMs: p.minTimeoutMs / K,
  maxTimeoutMs: p.maxTimeoutMs / K,
  maxRetryTimeMs: p.maxRetryTimeMs / K,
});

/** Most requests in any window [t, t + windowMs) of the given arrival times. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

interface Outcome {
  status: string;
  skip_reason: string | null;
  score: number | null;
  rag: string | null;
  churn_level: string | null;
}

async function outcomes(runtime: Runtime, run: RunRecord): Promise<Map<string, Outcome>> {
  const rows = await runtime.store.db
    .selectFrom("csm_scan_results")
    .select(["account_id", "status", "skip_reason", "score", "rag", "churn_level"])
    .where("run_id", "=", run.run_id)
    .execute();
  return new Map(rows.map(({ account_id, ...o }) => [account_id, o]));
}

const scan = (runtime: Runtime) =>
  runtime.runs.dispatchAndWait({ agent_id: "customer-success", task: { type: "health_scan" } }, 120_000);

describe("a 1,000-account health scan through Notion under 429s and an outage", () => {
  const book = generateDemoBook({ accounts: ACCOUNTS, seed: 5, now: new Date(NOW) });
  let stack: NotionStack;
  let local: Runtime;
  let notion: Runtime;
  let expected: Map<string, Outcome>;
  beforeAll(async () => {
    // The reference: the same book scanned at the same instant on the embedded store.
    local = await makeRuntime({ agents: [customerSuccessAgent], clock: new ManualClock(NOW) });
    await (local.records as LocalRecords).loadBook(book.accounts, book.tickets);
    const ref = await scan(local);
    expect(ref.status).toBe("succeeded");
    expected = await outcomes(local, ref);

    stack = await startNotionStack({
      emulator: { random429Rate: 0.2, retryAfterSeconds: 1 / K, seed: 11 },
      ratePerSec: RATE,
      windowMs: WINDOW_MS,
      readRetry: scaled(DEFAULT_READ_RETRY),
      writeRetry: scaled(DEFAULT_WRITE_RETRY),
      replayIntervalMs: 15_000 / K,
      dbPath: `${tempDataDir()}/notion.db`,
    });
    notion = await makeRuntime({
      agents: [customerSuccessAgent],
      clock: new ManualClock(NOW),
      adapters: { records: stack.records },
    });
  });
  afterAll(async () => {
    await notion?.close({ graceMs: 0 });
    await local?.close({ graceMs: 0 });
    await stack?.close();
  });

  it("scores every account as the local store does, loses no write, and keeps every window within the rate", async () => {
    const pageOf = seedNotion(stack, book.accounts, book.tickets);
    const fixtureOf = new Map([...pageOf].map(([fixture, page]) => [page, fixture]));
    await stack.records.start();
    const from = stack.emu.requests.length;

    // Start the outage once the scan is well into its writes; sample the outbox while it runs.
    let outageAt: number | null = null;
    let peakBacklog = 0;
    let seen = from;
    let writes = 0;
    const watcher = setInterval(() => {
      const log = stack.emu.requests;
      for (; seen < log.length; seen++) {
        if (log[seen]!.method === "PATCH" && log[seen]!.path.startsWith("/v1/pages/")) writes++;
      }
      if (outageAt === null && writes >= OUTAGE_AFTER_WRITES) {
        outageAt = stack.emu.now();
        stack.emu.outage(503, OUTAGE_MS);
      }
    }, 5);
    const sampler = setInterval(() => {
      void stack.records.backlog().then((b) => {
        peakBacklog = Math.max(peakBacklog, b.pending);
      });
    }, 100);

    let run: RunRecord;
    try {
      run = await scan(notion);
      // Whatever the outage held back is replayed by the outbox's own timer.
      await eventually(async () => (await stack.records.backlog()).pending === 0, 40_000, 50);
    } finally {
      clearInterval(watcher);
      clearInterval(sampler);
    }
    expect(run.status, JSON.stringify(run.result)).toBe("succeeded");
    expect(await stack.records.backlog()).toEqual({ pending: 0, failed: 0, oldest_pending_at: null });

    // The faults happened: the outage held writes back, and about a fifth of the calls were refused.
    const sent = stack.emu.requests.slice(from);
    expect(outageAt).not.toBeNull();
    expect(sent.filter((r) => r.status === 503).length).toBeGreaterThan(0);
    expect(peakBacklog).toBeGreaterThan(100);
    const limited = sent.filter((r) => r.status === 429).length / sent.length;
    expect(limited).toBeGreaterThan(0.15);
    expect(limited).toBeLessThan(0.25);

    // Every account scored (or skipped by the domain's rules) exactly as on the local store.
    const got = await outcomes(notion, run);
    expect(got.size).toBe(ACCOUNTS);
    const asFixture = new Map([...got].map(([page, o]) => [fixtureOf.get(page)!, o]));
    expect(asFixture).toEqual(expected);
    const scored = [...expected.values()].filter((o) => o.status === "scored").length;
    expect(run.result).toMatchObject({ scanned: ACCOUNTS, scored });
    expect(scored).toBeGreaterThan(900);

    // No write lost: every changed account's page holds its new values once the outbox has drained.
    for (const [page, o] of got) {
      if (o.status !== "scored") continue;
      const props = stack.emu.pageJson(page).properties as Record<
        string,
        { number?: number | null; select?: { name: string } | null }
      >;
      expect(
        {
          score: props["CSM Health Score"]!.number,
          rag: props["CSM Health RAG"]!.select?.name,
          churn: props["Churn Risk"]!.select?.name,
        },
        page,
      ).toEqual({ score: o.score, rag: o.rag, churn: o.churn_level });
    }

    // Within the limit over every window (10 s at production scale), every request counted, refused or not.
    // 3 requests/s over 10 s at production scale: 30 requests per window, the same at every K.
    const allowed = Math.round(RATE * (WINDOW_MS / 1000));
    const busiest = busiestWindow(
      stack.emu.requests.map((r) => r.at),
      WINDOW_MS,
    );
    expect(busiest, `busiest window: ${busiest} requests`).toBeLessThanOrEqual(allowed);
  }, 90_000);
});
