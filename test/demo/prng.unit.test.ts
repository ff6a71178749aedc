import { describe, expect, it } from "vitest";
import { createPrng } from "../../src/demo/prng.js";

describe("prng", () => {
  it("is deterministic per seed and differs across seeds", () => {
    const a = createPrng(7);
    const b = createPrng(7);
    const c = createPrng(8);
    const seqA = Array.from({ length: 20 }, () => a.uint32());
    expect(Array.from({ length: 20 }, () => b.uint32())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.uint32())).not.toEqual(seqA);
  });

  it("keeps its helpers in range", () => {
    const r = createPrng(123);
    for (let i = 0; i < 2000; i++) {
      const n = r.int(-3, 4);
      expect(Number.isInteger(n) && n >= -3 && n <= 4).toBe(true);
      const f = r.float(2, 5);
      expect(f >= 2 && f < 5).toBe(true);
    }
    expect(r.chance(0)).toBe(false);
    expect(r.chance(1)).toBe(true);
    expect(r.weighted([["only", 1]])).toBe("only");
    expect(
      r.weighted([
        ["never", 0],
        ["always", 3],
      ]),
    ).toBe("always");
    const items = [1, 2, 3, 4, 5, 6];
    expect([...r.shuffle(items.slice())].sort()).toEqual(items);
    expect(new Set(r.sample(items, 4)).size).toBe(4);
    expect(() => r.pick([])).toThrow(RangeError);
    expect(() => r.int(2, 1)).toThrow(RangeError);
    expect(() => createPrng(1.5)).toThrow(RangeError);
  });
});
