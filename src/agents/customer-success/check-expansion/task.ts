/**
 * `check_expansion` `{account_id?}`: deterministic detectors propose evidence-backed candidates (seats,
 * module, integration); the llm port writes the talk tracks and may drop a candidate, never add one.
 * Each opportunity gets an Expansion Opportunities record (Status New) and `expansion.identified`; the
 * most valuable ones (at most EXPANSION_HANDOFFS_MAX_PER_SCAN) go to Sales as a durable
 * `handoff.requested`; none while an open opportunity of the same type exists, except one an earlier
 * scan recorded but never handed off (over the limit), which competes again. Each CSM owner gets a
 * summary draft. The scan's rows live in store.ts; the state between nodes is the instant and counts.
 *
 *   detect -> narrate -> record -> hand_off -> summarize
 */
import { z } from "zod";
import type { ExpansionCandidate } from "../../../domain/expansion.js";
import type { TaskOf } from "../../../graphs/agent.js";
import type { NodeFn } from "../../../graphs/agent-graph.js";

export const CheckExpansionTaskSchema = z.strictObject({
  type: z.literal("check_expansion"),
  account_id: z.string().min(1).max(200).optional(),
});
export type CheckExpansionTask = TaskOf<typeof CheckExpansionTaskSchema>;

export const CHECK_EXPANSION_DESCRIPTION =
  "Finds evidence-backed expansion opportunities (seats, module, integration), records them, hands the most valuable to Sales and drafts a summary to the CSM. {account_id?}";

export interface CheckExpansionScratch {
  /** The instant the scan judges by, fixed by its first detect. */
  scan_at: string;
  scanned: number;
  /** Why the one account asked for is not eligible for expansion. */
  skipped: string;
}

export type CheckExpansionNode = NodeFn<CheckExpansionTask, CheckExpansionScratch>;

/** Sales' task type for an expansion hand-off (named by the receiver; CS only addresses it). */
export const SALES_AGENT = "sales";
export const SALES_TASK = "handle_expansion_opportunity";

/** The idempotency key of an opportunity's hand-off to Sales: one hand-off per opportunity, ever. */
export const handoffKey = (opportunityId: string): string => `expansion:${opportunityId}`;

/** The summary draft to one CSM owner, or why there is none. */
export interface SummaryDraft {
  to: string | null;
  opportunities: number;
  draft_id?: string;
  skipped?: string;
  error?: string;
}

type RowRef = { account_id: string; opportunity_type: string };

/** The scan's result: what was found, what was recorded and handed off, and why the rest was not. */
export interface CheckExpansionResult {
  scanned: number;
  skipped?: string;
  candidates: number;
  suppressed_open: Array<RowRef & { reason: string | null }>;
  llm_dropped: Array<RowRef & { reason: string | null }>;
  llm_unsupported_dropped: number;
  opportunities_found: number;
  carried_over: number;
  dispatched_to_sales: number;
  handoff_deferred: Array<RowRef & { opportunity_id: string | null }>;
  opportunities: Array<
    Pick<
      ExpansionCandidate,
      "opportunity_type" | "product" | "title" | "evidence" | "estimated_arr_impact" | "confidence"
    > & {
      opportunity_id: string | null;
      account_id: string;
      account_name: string;
      talk_track: string | null;
      handoff: string | null;
      carried_over?: string | null;
      sales_run_id?: string;
      handoff_event_id?: string | null;
    }
  >;
  summary_drafts: SummaryDraft[];
  generated_by: string | null;
  confidence: "high";
}
