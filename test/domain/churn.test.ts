import { describe, expect, it } from "vitest";
import {
  assessChurn,
  CHURN_PROBABILITY_DEFAULT,
  type ChurnInput,
  churnSeverity,
  churnTrigger,
  ragWorsened,
} from "../../src/domain/churn.js";
import type { ChurnLevel, Rag } from "../../src/domain/types.js";

/** A quiet account: no trigger of any kind. */
const BASE: ChurnInput = {
  rag: "GREEN",
  renewal_days: 200,
  usage_trend: "stable",
  days_since_login: 2,
  trend_direction: "stable",
  previous_rag: null,
};

describe("assessChurn: level rules", () => {
  it.each<[string, Partial<ChurnInput>, ChurnLevel, boolean, boolean]>([
    // contract proximity only
    ["AMBER, renewal in 45 days -> high", { rag: "AMBER", renewal_days: 45 }, "high", true, false],
    ["RED, renewal in 45 days -> critical", { rag: "RED", renewal_days: 45 }, "critical", true, false],
    ["AMBER, renewal in exactly 60 days counts", { rag: "AMBER", renewal_days: 60 }, "high", true, false],
    ["AMBER, renewal in 61 days does not", { rag: "AMBER", renewal_days: 61 }, "medium", false, false],
    ["RED, renewal date passed 5 days ago", { rag: "RED", renewal_days: -5 }, "critical", true, false],
    ["GREEN near renewal is no trigger", { rag: "GREEN", renewal_days: 10 }, "low", false, false],
    ["AMBER with unknown renewal", { rag: "AMBER", renewal_days: null }, "medium", false, false],
    // behavioural only
    [
      "GREEN, declining, no login for 30 days -> medium",
      { usage_trend: "declining", days_since_login: 30 },
      "medium",
      false,
      true,
    ],
    [
      "AMBER, inactive, no login for 45 days -> high",
      { rag: "AMBER", usage_trend: "inactive", days_since_login: 45 },
      "high",
      false,
      true,
    ],
    [
      "RED, declining and falling fast -> high",
      { rag: "RED", usage_trend: "declining", trend_direction: "falling_fast" },
      "high",
      false,
      true,
    ],
    [
      "declining but logged in 29 days ago",
      { usage_trend: "declining", days_since_login: 29 },
      "low",
      false,
      false,
    ],
    ["no login for 90 days but stable usage", { days_since_login: 90 }, "low", false, false],
    ["unknown usage trend", { usage_trend: null, days_since_login: 90 }, "low", false, false],
    [
      "declining with unknown last login",
      { usage_trend: "declining", days_since_login: null },
      "low",
      false,
      false,
    ],
    // both
    [
      "AMBER, renewal in 30 days, declining, no login for 40 days -> critical",
      { rag: "AMBER", renewal_days: 30, usage_trend: "declining", days_since_login: 40 },
      "critical",
      true,
      true,
    ],
    // neither
    ["GREEN, no trigger -> low", {}, "low", false, false],
    ["AMBER, no trigger -> medium", { rag: "AMBER" }, "medium", false, false],
    ["RED, no trigger -> medium", { rag: "RED" }, "medium", false, false],
  ])("%s", (_name, patch, level, contract, behavioural) => {
    const r = assessChurn({ ...BASE, ...patch });
    expect(r.level).toBe(level);
    expect(r.contract_proximity).toBe(contract);
    expect(r.behavioural).toBe(behavioural);
    expect(r.reasons.length).toBeGreaterThan(0);
  });

  it("explains its triggers with the numbers behind them", () => {
    const r = assessChurn({
      ...BASE,
      rag: "AMBER",
      renewal_days: 30,
      usage_trend: "declining",
      days_since_login: 40,
      trend_direction: "falling_fast",
    });
    expect(r.reasons).toEqual([
      "AMBER health with renewal in 30 days (within 60)",
      "usage declining and no login for 40 days and health score falling fast",
    ]);
  });
});

describe("assessChurn: should_alert", () => {
  it.each<[string, Partial<ChurnInput>, boolean, string[]]>([
    ["RED health", { rag: "RED" }, true, ["health is RED"]],
    ["high churn risk", { rag: "AMBER", renewal_days: 45 }, true, ["churn risk is high"]],
    [
      "critical churn risk on RED",
      { rag: "RED", renewal_days: 20, previous_rag: "RED" },
      true,
      ["health is RED", "churn risk is critical"],
    ],
    ["RAG got worse", { rag: "AMBER", previous_rag: "GREEN" }, true, ["health worsened from GREEN to AMBER"]],
    [
      "GREEN to RED",
      { rag: "RED", previous_rag: "GREEN" },
      true,
      ["health is RED", "health worsened from GREEN to RED"],
    ],
    ["falling fast", { trend_direction: "falling_fast" }, true, ["health score is falling fast"]],
    ["GREEN and quiet", { previous_rag: "GREEN" }, false, []],
    ["AMBER medium, unchanged", { rag: "AMBER", previous_rag: "AMBER" }, false, []],
    ["AMBER improved from RED", { rag: "AMBER", previous_rag: "RED" }, false, []],
    ["AMBER on a first scan", { rag: "AMBER", previous_rag: null }, false, []],
    ["medium behavioural risk on GREEN", { usage_trend: "inactive", days_since_login: 60 }, false, []],
  ])("%s", (_name, patch, shouldAlert, alertReasons) => {
    const r = assessChurn({ ...BASE, ...patch });
    expect(r.should_alert).toBe(shouldAlert);
    expect(r.alert_reasons).toEqual(alertReasons);
  });
});

describe("ragWorsened", () => {
  it.each<[Rag | null, Rag, boolean]>([
    [null, "RED", false],
    ["GREEN", "GREEN", false],
    ["GREEN", "AMBER", true],
    ["GREEN", "RED", true],
    ["AMBER", "RED", true],
    ["AMBER", "GREEN", false],
    ["RED", "AMBER", false],
    ["RED", "RED", false],
  ])("%s -> %s is %s", (previous, current, worse) => {
    expect(ragWorsened(previous, current)).toBe(worse);
  });
});

describe("churn levels", () => {
  it("ranks severity low 1 .. critical 4", () => {
    expect((["low", "medium", "high", "critical"] as const).map(churnSeverity)).toEqual([1, 2, 3, 4]);
  });

  it("has default probabilities rising with the level", () => {
    expect(CHURN_PROBABILITY_DEFAULT).toEqual({ low: 0.05, medium: 0.2, high: 0.45, critical: 0.7 });
  });
});

describe("churnTrigger", () => {
  it.each([
    [true, true, "combined"],
    [true, false, "contract_proximity"],
    [false, true, "behavioural"],
    [false, false, "none"],
  ] as const)("contract %s, behavioural %s -> %s", (contract_proximity, behavioural, trigger) => {
    expect(churnTrigger({ contract_proximity, behavioural })).toBe(trigger);
  });
});
