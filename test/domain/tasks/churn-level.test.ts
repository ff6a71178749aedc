import { describe, expect, it } from "vitest";
import { churnLevelFor } from "../../../src/domain/tasks/churn-level.js";
import { account, NOW } from "../../queue/accounts.js";

const ctx = { now: new Date(NOW), openTickets: 0, fallingFast: false, thresholds: { green: 70, amber: 40 } };

describe("churn level for the queue", () => {
  it("uses the level a scan recorded on the account", () => {
    expect(churnLevelFor(account("a", { churn_risk: "high" }), ctx)).toEqual({
      level: "high",
      source: "recorded",
    });
  });

  it("estimates a level from the account's signals before any scan", () => {
    const healthy = churnLevelFor(account("a", { churn_risk: null }), ctx);
    expect(healthy.source).toBe("estimated");
    expect(healthy.level).toBe("low");
    const failing = churnLevelFor(
      account("b", {
        churn_risk: null,
        usage_trend: "inactive",
        last_login: "2026-01-01T00:00:00.000Z",
        payment_status: "overdue_60",
        renewal_date: "2026-04-01",
        stakeholder_engagement: "low",
        ticket_sentiment: "critical",
        nps: 2,
        feature_adoption: 0.1,
        seats_used: 2,
      }),
      { ...ctx, openTickets: 6, fallingFast: true },
    );
    expect(failing.source).toBe("estimated");
    expect(["high", "critical"]).toContain(failing.level);
  });
});
