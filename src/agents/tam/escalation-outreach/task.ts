/**
 * `escalation_outreach` `{account_id}`: the escalation's outreach on demand. Scores the account's
 * technical health now (nothing is written to the account), has the outreach written (model or
 * template) and drafts it to the account's owner. The same account, day and health give the same draft.
 */
import { z } from "zod";
import type { TamStatus } from "../../../domain/types.js";
import type { TaskOf } from "../../../graphs/agent.js";
import type { NodeFn } from "../../../graphs/agent-graph.js";
import { accountIdField } from "../../shared/task-input.js";

export const EscalationOutreachTaskSchema = z.strictObject({
  type: z.literal("escalation_outreach"),
  account_id: accountIdField,
});
export type EscalationOutreachTask = TaskOf<typeof EscalationOutreachTaskSchema>;

export const ESCALATION_OUTREACH_DESCRIPTION =
  "Writes an outreach (subject, body, key issues) about an account's technical health as a draft to its owner. {account_id}";

/** One node, no state between nodes. */
export type EscalationOutreachNode = NodeFn<EscalationOutreachTask>;

/** The outreach as written, and the draft (or why there is none). */
export interface EscalationOutreachResult {
  account_id: string;
  score: number;
  status: TamStatus;
  subject: string;
  body: string;
  key_issues: string[];
  generated_by: "llm" | "template";
  draft: { draft_id: string; to: string; created: boolean } | { skipped: string };
  confidence: "high";
}
