import { describe, expect, it } from "vitest";
import {
  collectNumbers,
  extractNumbers,
  numberGroundingValidator,
  ungroundedNumbers,
} from "../../../src/agents/shared/narrative.js";

describe("number grounding", () => {
  it("reads numbers as people write them", () => {
    const found = extractNumbers("ARR $120,000 (1.2M users), 62% adoption, $85k, Q3, 45.3 points, -4.2");
    expect(found.map((n) => [n.raw, n.value, n.percent])).toEqual([
      ["120,000", 120000, false],
      ["1.2M", 1_200_000, false],
      ["62%", 62, true],
      ["85k", 85000, false],
      ["3", 3, false],
      ["45.3", 45.3, false],
      ["4.2", 4.2, false],
    ]);
    // "3 key signals" is three, not three thousand.
    expect(extractNumbers("3 key signals")[0]!.value).toBe(3);
  });

  it("collects numbers from nested inputs, including digits inside strings such as dates", () => {
    expect(collectNumbers({ a: 1, b: ["x 2", { c: -3.5 }], d: "2026-05-01" }).sort((x, y) => x - y)).toEqual([
      1, 1, 2, 3.5, 5, 2026,
    ]);
  });

  it("accepts numbers of the inputs, rounded as written, as percentages of ratios, and with k/M", () => {
    const inputs = { score: 45.27, arr: 120000, adoption: 0.318, days: 38, big: 1_234_567, change: -2.8 };
    expect(ungroundedNumbers("Score 45.3, or about 45, down 2.8", inputs)).toEqual([]);
    expect(ungroundedNumbers("ARR $120,000 or $120k; adoption 32%; 38 days; 1.2M", inputs)).toEqual([]);
  });

  it("flags numbers the inputs do not support", () => {
    const inputs = { score: 45.27, arr: 120000, days: 38 };
    expect(ungroundedNumbers("ARR fell 40% to $72,000 in 38 days", inputs)).toEqual(["40%", "72,000"]);
    // A more precise figure than the data is invented precision.
    expect(ungroundedNumbers("score 45.31", inputs)).toEqual(["45.31"]);
  });

  it("as a validator: null when grounded, else a problem naming each bad number once", () => {
    const validate = numberGroundingValidator<{ text: string; items: string[] }>({ n: 7 }, (o) => [
      o.text,
      ...o.items,
    ]);
    expect(validate({ text: "7 tickets", items: ["close 7"] })).toBeNull();
    const problem = validate({ text: "8 tickets", items: ["8 more", "9"] });
    expect(problem).toContain("8, 9");
    expect(problem).not.toContain("8, 8");
  });
});
