/** The scheduler's fan-out (src/scheduler/fan-out.ts) that the QBR jobs run their accounts through. */
import { describe, expect, it } from "vitest";
import { testConfig } from "../../src/config.js";
import { type FanOutProgress, fanOut, throttledProgress } from "../../src/scheduler/fan-out.js";

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("fanOut", () => {
  it("runs at most QBR_JOB_CONCURRENCY items at once (4 by default), reports progress, and survives a failure", async () => {
    const concurrency = testConfig().QBR_JOB_CONCURRENCY;
    expect(concurrency).toBe(4);
    const items = Array.from({ length: 13 }, (_, i) => i);
    let inFlight = 0;
    let peak = 0;
    const finished: number[] = [];
    const progress: FanOutProgress[] = [];
    const summary = await fanOut(items, {
      concurrency,
      onProgress: (p) => {
        progress.push(p);
      },
      worker: async (i) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          // Uneven durations: a lane that finishes early takes the next item at once.
          await tick(5 + (i % 3) * 7);
          if (i === 2) throw new Error("records unavailable for item 2");
          finished.push(i);
          return i === 7 ? "partial" : i === 9 ? "skipped" : "succeeded";
        } finally {
          inFlight--;
        }
      },
    });
    expect(peak).toBe(4);
    // The failure of item 2 (in the first wave) stopped nothing: every other item ran.
    expect(finished.sort((a, b) => a - b)).toEqual(items.filter((i) => i !== 2));
    expect(summary).toEqual({
      total: 13,
      counts: { succeeded: 10, partial: 1, skipped: 1, failed: 1 },
      failures: [{ item: 2, error: "records unavailable for item 2" }],
    });
    expect(progress.map((p) => p.done)).toEqual(items.map((i) => i + 1));
    expect(progress.at(-1)).toEqual({ done: 13, total: 13, failed: 1 });
    expect(progress.every((p) => p.total === 13)).toBe(true);
  });

  it("reports once for an empty book, and a failing progress reporter does not fail the work", async () => {
    const empty: FanOutProgress[] = [];
    const none = await fanOut([], {
      concurrency: 4,
      worker: async () => "succeeded",
      onProgress: (p) => void empty.push(p),
    });
    expect(none.total).toBe(0);
    expect(empty).toEqual([{ done: 0, total: 0, failed: 0 }]);

    const done = await fanOut([1, 2, 3], {
      concurrency: 2,
      worker: async () => "succeeded",
      onProgress: () => {
        throw new Error("the bus is down");
      },
    });
    expect(done.counts.succeeded).toBe(3);
  });

  it("throttled progress passes on each tenth of the way and the end, not every item", async () => {
    const seen: number[] = [];
    const report = throttledProgress((p) => {
      seen.push(p.done);
    });
    for (let done = 1; done <= 250; done++) await report({ done, total: 250, failed: 0 });
    expect(seen).toEqual([1, 25, 50, 75, 100, 125, 150, 175, 200, 225, 250]);
  });
});
