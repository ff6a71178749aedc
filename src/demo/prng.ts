/**
 * A small seeded pseudo-random generator (sfc32, seeded through splitmix32) for deterministic demo data.
 * Same seed, same sequence, on every platform. Not for anything security-related.
 */

const TWO_POW_32 = 4_294_967_296;

/** A value and its relative weight, for `Prng.weighted`. */
export type WeightedEntry<T> = readonly [value: T, weight: number];

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `seed`: any safe integer (negative and > 32-bit values are fine). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`PRNG seed must be a safe integer, got ${seed}`);
    // splitmix32 spreads the seed (both 32-bit halves) over the four words of state.
    let s = (seed >>> 0) ^ Math.imul(Math.floor(seed / TWO_POW_32) >>> 0, 0x9e3779b1);
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** The next raw 32-bit unsigned integer (sfc32). */
  uint32(): number {
    const t0 = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    const t = (t0 + this.d) | 0;
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** Uniform in [min, max). */
  float(min = 0, max = 1): number {
    return min + (max - min) * this.next();
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`int(min, max) needs integers with min <= max, got ${min}, ${max}`);
    }
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p (p <= 0 never, p >= 1 always). */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One item, uniformly. Throws on an empty list. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick() from an empty list");
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One value, with probability proportional to its weight (weights >= 0, at least one > 0). */
  weighted<T>(entries: readonly WeightedEntry<T>[]): T {
    let total = 0;
    for (const [, w] of entries) {
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weights must be finite and >= 0, got ${w}`);
      total += w;
    }
    if (total <= 0) throw new RangeError("weighted() needs at least one positive weight");
    let r = this.next() * total;
    for (const [value, w] of entries) {
      if (r < w) return value;
      r -= w;
    }
    // Float rounding can leave r a hair above the last weight: the last positive entry wins.
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i]!;
      if (entry[1] > 0) return entry[0];
    }
    throw new RangeError("unreachable");
  }

  /** Shuffles in place (Fisher-Yates) and returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** `count` distinct items in random order (all of them when count >= length); the input is untouched. */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = items.slice();
    const k = Math.max(0, Math.min(count, copy.length));
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      const tmp = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = tmp;
    }
    copy.length = k;
    return copy;
  }

  /** An independent generator seeded from this one's stream. */
  fork(): Prng {
    return new Prng(this.uint32());
  }
}

export function createPrng(seed: number): Prng {
  return new Prng(seed);
}
