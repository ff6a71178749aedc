/**
 * One token bucket for every Notion call of the process (Notion limits per integration, not per
 * endpoint). Waiters are served first come, first served.
 *
 * The refill rate is chosen so that a full burst plus the refill over `windowMs` never exceeds the
 * configured rate over that window: burst + refill x window <= rate x window. A short burst is allowed,
 * and paid back within the window, so the average over every window stays within the limit. A margin of
 * 1% absorbs network jitter in when requests arrive.
 */
export interface TokenBucketOptions {
  ratePerSec: number;
  /** Requests that may go at once after a quiet spell. */
  burst?: number;
  /** The window over which the average must stay within ratePerSec (Notion: 10 s is what we promise). */
  windowMs?: number;
  /** Monotonic milliseconds (tests may inject). */
  now?: () => number;
}

const JITTER_MARGIN = 0.01;

export class TokenBucket {
  readonly ratePerSec: number;
  readonly burst: number;
  readonly windowMs: number;
  /** Tokens added per millisecond. */
  readonly refillPerMs: number;
  private tokens: number;
  private last: number;
  private pausedUntil = 0;
  private readonly queue: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(opts: TokenBucketOptions) {
    if (!(opts.ratePerSec > 0)) throw new RangeError("ratePerSec must be > 0");
    this.ratePerSec = opts.ratePerSec;
    this.windowMs = opts.windowMs ?? 10_000;
    const windowBudget = this.ratePerSec * (this.windowMs / 1000) * (1 - JITTER_MARGIN);
    // A burst larger than a quarter of the window's budget would leave too little for steady work.
    this.burst = Math.max(1, Math.min(opts.burst ?? 2, Math.floor(windowBudget / 4)));
    this.refillPerMs = (windowBudget - this.burst) / this.windowMs;
    if (!(this.refillPerMs > 0)) throw new RangeError("burst too large for the rate and window");
    this.now = opts.now ?? (() => performance.now());
    this.tokens = this.burst;
    this.last = this.now();
  }

  /** The steady rate the bucket grants, in requests per second. */
  get steadyRatePerSec(): number {
    return this.refillPerMs * 1000;
  }

  /** Resolves when the caller may send one request. */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push(resolve);
      this.pump();
    });
  }

  /** Hold every caller back for `ms` (a 429 or 529 said so), and drop the burst. */
  pauseFor(ms: number): void {
    const until = this.now() + Math.max(0, ms);
    if (until > this.pausedUntil) this.pausedUntil = until;
    this.tokens = Math.min(this.tokens, 0);
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.pump();
  }

  get waiting(): number {
    return this.queue.length;
  }

  private refill(now: number): void {
    // While paused, nothing accrues: the pause is time Notion told us not to use.
    const from = Math.max(this.last, Math.min(now, this.pausedUntil));
    if (now > from) this.tokens = Math.min(this.burst, this.tokens + (now - from) * this.refillPerMs);
    this.last = now;
  }

  private pump(): void {
    if (this.timer) return;
    const now = this.now();
    this.refill(now);
    while (this.queue.length > 0 && now >= this.pausedUntil && this.tokens >= 1) {
      this.tokens -= 1;
      this.queue.shift()!();
    }
    if (this.queue.length === 0) return;
    const wait =
      now < this.pausedUntil
        ? this.pausedUntil - now + Math.max(0, 1 - this.tokens) / this.refillPerMs
        : (1 - this.tokens) / this.refillPerMs;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.pump();
      },
      Math.max(1, Math.ceil(wait)),
    );
  }
}
