import { errorMessage } from "../../../errors.js";
import { MissingPageError, NotionApplier, type NotionApplierOptions } from "./applier.js";
import { classifyNotionError } from "./errors.js";
import { inParallel } from "./in-parallel.js";
import { type NotionWrite, type OutboxEntry, targetOf } from "./outbox.js";

export interface NotionWriterOptions extends NotionApplierOptions {
  /** How often the outbox is replayed while it holds writes. */
  replayIntervalMs: number;
  /** Queued writes replayed at once (about different pages; one page's writes stay in order). */
  concurrency?: number;
}

export type SubmitOutcome = "done" | "queued";

export interface ReplayResult {
  replayed: number;
  failed: number;
  remaining: number;
}

/**
 * The write path: a write goes to Notion directly unless writes are already queued (then it queues
 * behind them, so writes about a page are applied in order); one that fails for a reason a later try
 * may get past (rate limit beyond the budget, outage) is queued and replayed. Writes Notion refuses
 * (validation) are thrown to the caller.
 */
export class NotionWriter {
  private readonly locks = new Map<string, Promise<unknown>>();
  private replaying: Promise<ReplayResult> | null = null;
  private nextReplayAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;
  private readonly applier: NotionApplier;

  constructor(private readonly o: NotionWriterOptions) {
    this.applier = new NotionApplier(o);
  }

  start(): void {
    if (this.timer) return;
    this.stopping = false;
    this.timer = setInterval(() => void this.replayIfDue(), this.o.replayIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.replaying?.catch(() => undefined);
  }

  async submit(write: NotionWrite): Promise<SubmitOutcome> {
    const target = targetOf(write);
    return this.withLock(target, async () => {
      if (await this.o.outbox.hasPending()) {
        await this.queue(write, "queued behind earlier writes");
        return "queued";
      }
      try {
        await this.applier.apply(write);
        return "done";
      } catch (err) {
        const f = classifyNotionError(err);
        if (f.kind === "permanent") throw err;
        await this.queue(write, `${f.status ?? f.code ?? "error"}: ${f.message}`);
        this.nextReplayAt = this.o.clock.now().getTime() + this.o.replayIntervalMs;
        this.o.log.warn({ op: write.op, key: write.key, status: f.status }, "notion write queued for replay");
        return "queued";
      }
    });
  }

  /** Replay queued writes in order until the queue is empty or Notion fails again. */
  replay(): Promise<ReplayResult> {
    if (this.replaying) return this.replaying;
    this.replaying = this.replayLoop().finally(() => {
      this.replaying = null;
    });
    return this.replaying;
  }

  private async replayIfDue(): Promise<void> {
    if (this.replaying || this.stopping) return;
    if (this.o.clock.now().getTime() < this.nextReplayAt) return;
    if (!(await this.o.outbox.hasPending())) return;
    await this.replay().catch((err: unknown) => this.o.log.error({ err }, "notion outbox replay crashed"));
  }

  /**
   * Batches of the oldest queued writes: writes about one page in order, different pages in parallel
   * (the limiter sets the pace). Once Notion fails again no further write is started, and the replay
   * ends after the batch; a write Notion refuses is set aside and the rest go on.
   */
  private async replayLoop(): Promise<ReplayResult> {
    const result: ReplayResult = { replayed: 0, failed: 0, remaining: 0 };
    const concurrency = this.o.concurrency ?? 1;
    let stalled = false;
    while (!this.stopping && !stalled) {
      const batch = await this.o.outbox.oldestPending(concurrency * 8);
      if (batch.length === 0) break;
      const byTarget = new Map<string, OutboxEntry[]>();
      for (const e of batch) {
        const target = await this.o.pageKeys.pageOf(targetOf(e.write));
        byTarget.set(target, [...(byTarget.get(target) ?? []), e]);
      }
      await inParallel([...byTarget.values()], concurrency, async (entries) => {
        for (const entry of entries) {
          if (this.stopping || stalled) return;
          if ((await this.replayOne(entry, result)) === "stalled") stalled = true;
        }
      });
    }
    result.remaining = (await this.o.outbox.stats()).pending;
    return result;
  }

  private async replayOne(entry: OutboxEntry, result: ReplayResult): Promise<"ok" | "stalled"> {
    try {
      await this.applier.apply(entry.write);
      await this.o.outbox.done(entry.id);
      result.replayed++;
      return "ok";
    } catch (err) {
      const f = err instanceof MissingPageError ? null : classifyNotionError(err);
      const message = errorMessage(err);
      if (f && f.kind !== "permanent") {
        await this.o.outbox.attemptFailed(entry.id, `${f.status ?? f.code ?? "error"}: ${message}`);
        this.nextReplayAt = this.o.clock.now().getTime() + this.o.replayIntervalMs;
        return "stalled";
      }
      await this.o.outbox.markFailed(entry.id, message);
      result.failed++;
      this.o.log.error({ op: entry.write.op, key: entry.write.key, err: message }, "notion write refused");
      return "ok";
    }
  }

  private async queue(write: NotionWrite, reason: string): Promise<void> {
    if (write.op !== "update_page") {
      const known = await this.o.pageKeys.get(write.key);
      if (!known)
        await this.o.pageKeys.put(write.key, write.kind, {
          state: "pending",
          record: JSON.stringify(write.provisional),
        });
    }
    await this.o.outbox.enqueue(write, reason);
  }

  private async withLock<T>(target: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(target) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.locks.set(target, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(target) === tail) this.locks.delete(target);
    }
  }
}
