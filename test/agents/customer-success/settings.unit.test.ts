import { describe, expect, it } from "vitest";
import { csmSettings } from "../../../src/agents/customer-success/settings.js";
import { ConfigError, loadConfig } from "../../../src/config.js";

const rejects = (env: Record<string, string>, variable: string, fragment: string) => {
  try {
    loadConfig(env);
    expect.unreachable();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe(variable);
    expect((err as Error).message).toContain(fragment);
  }
};

describe("Customer Success configuration", () => {
  it("parses CSM_HEALTH_WEIGHTS into partial weights and reads thresholds and alert limits", () => {
    const c = loadConfig({
      CSM_HEALTH_WEIGHTS: '{"feature_adoption":20,"nps":0}',
      RAG_GREEN_MIN: "75",
      RAG_AMBER_MIN: "45",
      ALERTS_MAX_PER_SCAN: "3",
      ALERT_REPEAT_DAYS: "5",
    });
    expect(csmSettings(c)).toEqual({
      weights: { feature_adoption: 20, nps: 0 },
      thresholds: { green: 75, amber: 45 },
      maxAlertsPerScan: 3,
      alertRepeatDays: 5,
    });
    expect(loadConfig({ CSM_HEALTH_WEIGHTS: "  " }).CSM_HEALTH_WEIGHTS).toBeUndefined();
  });

  it.each([
    ["{feature_adoption: 20}", "expected JSON"],
    ["[1,2]", "JSON object"],
    ['{"feature_adoptoin":20}', 'unknown signal "feature_adoptoin"'],
    ['{"nps":-1}', "weight of nps"],
    ['{"nps":"high"}', "weight of nps"],
  ])("rejects CSM_HEALTH_WEIGHTS=%s naming the variable", (value, fragment) => {
    rejects({ CSM_HEALTH_WEIGHTS: value }, "CSM_HEALTH_WEIGHTS", fragment);
  });

  it("rejects weights that are all zero", () => {
    const zero = Object.fromEntries(
      [
        "feature_adoption",
        "usage_trend",
        "days_since_login",
        "days_since_interaction",
        "payment_status",
        "support",
        "stakeholder_engagement",
        "nps",
        "days_to_renewal",
        "seat_utilization",
        "escalations_90d",
      ].map((s) => [s, 0]),
    );
    rejects({ CSM_HEALTH_WEIGHTS: JSON.stringify(zero) }, "CSM_HEALTH_WEIGHTS", "above 0");
  });

  it("rejects a cron expression croner cannot read, naming the variable", () => {
    rejects({ CRON_HEALTH_SCAN: "every morning" }, "CRON_HEALTH_SCAN", "not a cron expression");
    expect(loadConfig({ CRON_CONTRACT_CHECK: "30 8 * * 1-5" }).CRON_CONTRACT_CHECK).toBe("30 8 * * 1-5");
  });
});
