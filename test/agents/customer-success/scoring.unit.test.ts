import { describe, expect, it } from "vitest";
import { CS_HANDLERS, customerSuccessAgent } from "../../../src/agents/customer-success/index.js";
import { churnFacts, churnNarrativeTemplate } from "../../../src/agents/customer-success/prompts.js";
import { type AccountInputs, scoreAccount } from "../../../src/agents/customer-success/scoring.js";
import { csmSettings } from "../../../src/agents/customer-success/settings.js";
import { AGENTS } from "../../../src/agents/index.js";
import { numberGroundingValidator } from "../../../src/agents/shared/narrative.js";
import { testConfig } from "../../../src/config.js";
import { SKIP_CHURNED } from "../../../src/domain/eligibility.js";
import { isOpenTicket } from "../../../src/domain/types.js";
import { demoBook, NOW } from "./helpers.js";

const { tasks: CS_TASK_TYPES, taskSchema: csTaskSchema } = customerSuccessAgent;

const now = new Date(NOW);
const settings = csmSettings(testConfig());
const open = (id: string) => demoBook.tickets.filter((t) => t.account_id === id && isOpenTicket(t)).length;
const inputs = (id: string, extra: Partial<AccountInputs> = {}): AccountInputs => ({
  account: demoBook.accounts.find((a) => a.id === id)!,
  openTickets: open(id),
  extraEscalations: 0,
  history: [],
  previous: null,
  ...extra,
});
const active = demoBook.accounts.filter((a) => a.status !== "Churned");

describe("scoreAccount", () => {
  it("skips churned customers and unusable signals with a reason", () => {
    const churned = demoBook.accounts.find((a) => a.status === "Churned")!;
    expect(scoreAccount(inputs(churned.id), now, settings)).toEqual({
      kind: "skipped",
      account_id: churned.id,
      reason: SKIP_CHURNED,
    });
    const a = active[0]!;
    const bad = scoreAccount(inputs(a.id, { account: { ...a, last_login: "yesterday" } }), now, settings);
    expect(bad).toMatchObject({ kind: "skipped", reason: expect.stringContaining("last_login") });
  });

  it("has no trend on a first scan; trends and compares against history otherwise", () => {
    const a = active[0]!;
    const first = scoreAccount(inputs(a.id), now, settings);
    if (first.kind !== "scored") throw new Error("expected a score");
    expect(first.detail.trend).toBeNull();
    expect(first.changed).toBe(true);
    const week = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
    const history = [
      { at: week(10), score: first.score + 20 },
      { at: week(3), score: first.score + 15 },
    ];
    const again = scoreAccount(
      inputs(a.id, { history, previous: { score: first.score + 15, rag: "GREEN", at: week(3) } }),
      now,
      settings,
    );
    if (again.kind !== "scored") throw new Error("expected a score");
    expect(again.detail.trend?.direction).toBe("falling_fast");
    expect(again.detail.trend?.change_since_previous).toBe(-15);
    expect(again.detail.previous_rag).toBe("GREEN");
  });

  it("is unchanged when the record already holds the same score, RAG and churn level", () => {
    const a = active[0]!;
    const first = scoreAccount(inputs(a.id), now, settings);
    if (first.kind !== "scored") throw new Error("expected a score");
    const stored = {
      ...a,
      csm_health_score: first.score,
      csm_health_rag: first.rag,
      churn_risk: first.churn_level,
    };
    const second = scoreAccount(inputs(a.id, { account: stored }), now, settings);
    expect(second.kind === "scored" && second.changed).toBe(false);
  });

  it("counts TAM escalations into the escalation signal", () => {
    const a = active.find((x) => x.escalations_90d === 0)!;
    const base = scoreAccount(inputs(a.id), now, settings);
    const escalated = scoreAccount(inputs(a.id, { extraEscalations: 2 }), now, settings);
    if (base.kind !== "scored" || escalated.kind !== "scored") throw new Error("expected scores");
    expect(escalated.score).toBeLessThan(base.score);
    expect(escalated.detail.breakdown.find((b) => b.signal === "escalations_90d")).toMatchObject({
      value: 2,
      sub_score: 0,
    });
  });

  it("the template narrative of every demo account passes the number-grounding check", () => {
    for (const a of active) {
      const o = scoreAccount(inputs(a.id), now, settings);
      if (o.kind !== "scored") continue;
      const facts = churnFacts(a, o.score, o.rag, o.detail, now);
      const narrative = churnNarrativeTemplate(facts);
      const validate = numberGroundingValidator<typeof narrative>(facts, (n) => [
        n.risk_narrative,
        ...n.recommended_actions,
      ]);
      expect(validate(narrative), `${a.id}: ${narrative.risk_narrative}`).toBeNull();
      expect(narrative.risk_narrative).toContain(String(o.score));
      expect(narrative.recommended_actions.length).toBeGreaterThan(0);
    }
  });
});

describe("the agent's task table", () => {
  it("is registered, and its union is built from the handler table", () => {
    expect(AGENTS.map((a) => a.id)).toContain("customer-success");
    expect(CS_TASK_TYPES.map((t) => t.type)).toEqual(Object.keys(CS_HANDLERS));
    expect(csTaskSchema.safeParse({ type: "health_scan" }).success).toBe(true);
    expect(csTaskSchema.safeParse({ type: "health_scan", account_id: "acc_0001" }).success).toBe(true);
    expect(csTaskSchema.safeParse({ type: "health_scan", renewal_within_days: 60 }).success).toBe(true);
    expect(csTaskSchema.safeParse({ type: "health_scan", extra: 1 }).success).toBe(false);
    expect(csTaskSchema.safeParse({ type: "assess_churn_risk" }).success).toBe(false);
    expect(csTaskSchema.safeParse({ type: "generate_qbr" }).success).toBe(false);
  });
});
