import { describe, expect, it } from "vitest";
import { progressLine } from "../../src/cli/scan.js";

describe("account-team scan's progress bar", () => {
  it("draws a plain progress bar", () => {
    expect(progressLine({ phase: "score_accounts", done: 30, total: 60 }, 10)).toBe(
      "scoring   [#####.....] 30/60",
    );
    expect(progressLine({ phase: "load_accounts", done: 0, total: 0 }, 4)).toBe("loading   [....] 0/0");
  });
});
