import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { pruneThread } from "./checkpointer.js";

/** One turn of work on a thread, given a signal that aborts when the runner stops at once. */
export type ThreadWork = (signal: AbortSignal) => Promise<void>;

export interface ThreadRunnerOptions {
  /** How many threads are worked at once; the others wait for a slot, first come first served. */
  concurrency: number;
  /** Where the threads' checkpoints live, for prune(). */
  checkpointer: BaseCheckpointSaver;
  /** Called with what a turn threw, unless the runner was aborted (then a throw is the abort itself). */
  onError?: (err: unknown, threadId: string) => void;
}

/**
 * Drives LangGraph threads (an agent run, a playbook execution) for whoever owns them: at most
 * `concurrency` threads are worked at once, a thread is never worked by two turns at the same time,
 * every turn gets an abort signal linked to the runner's, and shutdown lets in-flight turns finish
 * before aborting them.
 *
 * Asked to work a thread that is already being worked, the runner does not start a second turn beside
 * it: the thread goes round once more when the current turn ends, with the latest work given. So a
 * decision taken while a thread is moving (an approval, a resume) is never lost, and never overlaps.
 */
export class ThreadRunner {
  private readonly abort = new AbortController();
  /** The promise of each thread being worked (or waiting for a slot). */
  private readonly busy = new Map<string, Promise<void>>();
  /** The work to run once more when the thread's current turn ends. */
  private readonly again = new Map<string, ThreadWork>();
  private readonly waitingForSlot: Array<(go: boolean) => void> = [];
  private active = 0;
  private accepting = true;

  constructor(private readonly opts: ThreadRunnerOptions) {}

  /** Aborts when the runner stops at once (abortAll, or drain past its grace). */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get aborted(): boolean {
    return this.abort.signal.aborted;
  }

  get isAccepting(): boolean {
    return this.accepting;
  }

  /** Is this thread being worked (or waiting for a slot)? */
  isBusy(threadId: string): boolean {
    return this.busy.has(threadId);
  }

  get isWorking(): boolean {
    return this.busy.size > 0;
  }

  /**
   * Work the thread: now if a slot is free, else when one frees up. Resolves when the thread stops
   * being worked; never rejects (what a turn throws goes to onError). Once the runner stops accepting,
   * a new request does nothing.
   */
  run(threadId: string, work: ThreadWork): Promise<void> {
    const current = this.busy.get(threadId);
    if (current) {
      this.again.set(threadId, work);
      return current;
    }
    if (!this.accepting) return Promise.resolve();
    const turns = this.turns(threadId, work).finally(() => {
      this.busy.delete(threadId);
      // A request that came while the last turn was on its way out: honour it.
      const late = this.again.get(threadId);
      this.again.delete(threadId);
      if (late && this.accepting) void this.run(threadId, late);
    });
    this.busy.set(threadId, turns);
    return turns;
  }

  private async turns(threadId: string, first: ThreadWork): Promise<void> {
    if (!(await this.slot())) return;
    try {
      let next: ThreadWork | undefined = first;
      do {
        // A request that came while this one waited for its slot is this turn (with its work).
        const work: ThreadWork = this.again.get(threadId) ?? next;
        this.again.delete(threadId);
        await this.turn(threadId, work);
        next = this.accepting ? this.again.get(threadId) : undefined;
      } while (next);
    } finally {
      this.active--;
      this.waitingForSlot.shift()?.(true);
    }
  }

  private async turn(threadId: string, work: ThreadWork): Promise<void> {
    // LangGraph links the signal it is given to one of its own and never unlinks it: given the runner's
    // long-lived signal, every turn ever taken would leave a listener on it. A signal per turn, linked
    // here and unlinked when the turn ends, keeps that to the turns in flight.
    const linked = new AbortController();
    const forward = () => linked.abort(this.abort.signal.reason);
    this.abort.signal.addEventListener("abort", forward, { once: true });
    if (this.abort.signal.aborted) forward();
    try {
      await work(linked.signal);
    } catch (err) {
      if (!this.aborted) this.opts.onError?.(err, threadId);
    } finally {
      this.abort.signal.removeEventListener("abort", forward);
    }
  }

  /** A slot to work in; false when the runner stopped before one came free (the work does not run). */
  private async slot(): Promise<boolean> {
    if (this.active < this.opts.concurrency) {
      this.active++;
      return true;
    }
    const go = await new Promise<boolean>((resolve) => this.waitingForSlot.push(resolve));
    if (go) this.active++;
    return go;
  }

  /** Keep only the newest checkpoint of a thread that will not run again (its final state stays readable). */
  prune(threadId: string): Promise<void> {
    return pruneThread(this.opts.checkpointer, threadId);
  }

  /** Resolves when no thread is being worked. */
  async idle(): Promise<void> {
    while (this.busy.size > 0) await Promise.allSettled([...this.busy.values()]);
  }

  /** Stop taking work; what waits for a slot is dropped (its owner picks it up again at the next boot). */
  private stopAccepting(): void {
    this.accepting = false;
    for (const resolve of this.waitingForSlot.splice(0)) resolve(false);
  }

  /**
   * Graceful stop: take nothing new, give the turns in flight `graceMs` to finish, then abort them. An
   * aborted turn leaves its thread at its last checkpoint, for the owner to resume at the next boot.
   */
  async drain(graceMs: number): Promise<void> {
    this.stopAccepting();
    const all = Promise.allSettled([...this.busy.values()]);
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref()),
    ]);
    if (timedOut) {
      this.abort.abort();
      await Promise.race([all, new Promise((r) => setTimeout(r, 2000).unref())]);
    }
  }

  /** Stop at once, mid-node (a second shutdown signal, tests that simulate a crash). */
  abortAll(): void {
    this.stopAccepting();
    this.abort.abort();
  }
}
