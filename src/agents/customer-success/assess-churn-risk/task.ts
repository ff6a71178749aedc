/**
 * `assess_churn_risk` `{account_id}`: one account's health and churn risk with the narrative a CSM would
 * read (why it is at risk, what to do). Read-only: it writes no record, history, draft or alert; the
 * health scan does those, so an on-demand look never disturbs the scan's change and repeat rules.
 */
import { z } from "zod";
import type { ChurnTrigger } from "../../../domain/churn.js";
import type { ChurnLevel, Rag } from "../../../domain/types.js";
import type { TaskOf } from "../../../graphs/agent.js";
import type { NodeFn } from "../../../graphs/agent-graph.js";
import type { ChurnFacts } from "../prompts.js";
import type { HealthDetail } from "../scoring.js";

export const AssessChurnRiskTaskSchema = z.strictObject({
  type: z.literal("assess_churn_risk"),
  account_id: z.string().min(1),
});
export type AssessChurnRiskTask = TaskOf<typeof AssessChurnRiskTaskSchema>;

export const ASSESS_CHURN_RISK_DESCRIPTION =
  "Assess one account's churn risk with a narrative and recommended actions (read-only)";

/** One node, no state between nodes. */
export type AssessChurnRiskNode = NodeFn<AssessChurnRiskTask>;

/** The assessment, or why the account could not be assessed. */
export type AssessChurnRiskResult =
  | { account_id: string; account_name: string; skipped: string; confidence: "low" }
  | {
      account_id: string;
      account_name: string;
      score: number;
      rag: Rag;
      churn_risk: ChurnLevel;
      trigger_type: ChurnTrigger;
      reasons: string[];
      should_alert: boolean;
      alert_reasons: string[];
      risk_narrative: string;
      recommended_actions: string[];
      generated_by: "llm" | "template";
      top_drivers: ChurnFacts["top_drivers"];
      trend: HealthDetail["trend"];
      breakdown: HealthDetail["breakdown"];
      data_completeness: number;
      confidence: HealthDetail["confidence"];
    };
