import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { OutcomeCards } from "../../../src/features/outcomes/components/WeeklyOutcomes";

describe("outcome cards", () => {
  it("show actual against goal, money as money and the trend in words and sign", () => {
    render(
      <OutcomeCards
        m={{
          onboarding_completions: { actual: 1, goal: 3 },
          at_risk_saves: { actual: 2, goal: 2 },
          health_improvements: 1,
          renewals_secured: { amount: 36_500, count: 1 },
          expansion_pipeline: { amount: 40_900, count: 1 },
          activity: { calls: 3, emails: 1, tasks: 4 },
          objectives_achieved: { this_week: 3, last_week: 6 },
          trend_vs_last_week: -50,
        }}
      />,
    );
    expect(screen.getByRole("article", { name: "Onboarding completions" }).textContent).toContain(
      "1 of 3 goal",
    );
    expect(screen.getByRole("article", { name: "At-risk saves" }).textContent).toContain("goal met");
    expect(screen.getByRole("article", { name: "Renewals secured" }).textContent).toContain("$36,500");
    expect(screen.getByRole("article", { name: "Expansion pipeline" }).textContent).toContain("$40,900");
    expect(screen.getByRole("article", { name: "Trend vs last week" }).textContent).toContain("▼ -50%");
  });
});
