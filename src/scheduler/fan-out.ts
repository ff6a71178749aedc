import { errorMessage } from "../errors.js";
/**
 * Work over many items with at most `concurrency` at once, reporting progress. A failing item is counted
 * and recorded, never thrown: one account's failure never stops a job over the book.
 */

export type ItemOutcome = "succeeded" | "partial" | "skipped" | "failed";

export interface FanOutProgress {
  done: number;
  total: number;
  failed: number;
}

export interface FanOutSummary<T> {
  total: number;
  counts: Record<ItemOutcome, number>;
  failures: Array<{ item: T; error: string }>;
}

export async function fanOut<T>(
  items: readonly T[],
  opts: {
    concurrency: number;
    worker: (item: T) => Promise<ItemOutcome>;
    onProgress?: (p: FanOutProgress) => void | Promise<void>;
  },
): Promise<FanOutSummary<T>> {
  const counts: Record<ItemOutcome, number> = { succeeded: 0, partial: 0, skipped: 0, failed: 0 };
  const failures: Array<{ item: T; error: string }> = [];
  let next = 0;
  let done = 0;
  const total = items.length;
  const report = async () => {
    try {
      await opts.onProgress?.({ done, total, failed: counts.failed });
    } catch {
      // Progress is informative; a failing reporter must not fail the work.
    }
  };
  const lane = async () => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      const item = items[i]!;
      try {
        counts[await opts.worker(item)] += 1;
      } catch (err) {
        counts.failed += 1;
        failures.push({ item, error: errorMessage(err) });
      }
      done += 1;
      await report();
    }
  };
  const lanes = Math.max(1, Math.min(opts.concurrency, total));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (total === 0) await report();
  return { total, counts, failures };
}

/**
 * A progress callback that passes on only every tenth of the way (and the end): a job over a large book
 * reports a handful of times, not once per account.
 */
export function throttledProgress(
  emit: (p: FanOutProgress) => void | Promise<void>,
  steps = 10,
): (p: FanOutProgress) => Promise<void> {
  let lastStep = -1;
  return async (p) => {
    const step = p.total === 0 ? steps : Math.floor((p.done / p.total) * steps);
    if (step === lastStep && p.done !== p.total) return;
    lastStep = step;
    await emit(p);
  };
}
