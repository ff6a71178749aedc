/**
 * `handle_expansion_opportunity`: validate -> draft -> dispatch. Arrives over HTTP (validated before a
 * run starts: a bad field is a 400 naming it) or as a hand-off from Customer Success (validated by the
 * first node: the run fails naming the field before anything is written, and operators get an alert).
 * Drafts the opportunity to the account executive (or SALES_FALLBACK_EMAIL, saying so), marks the
 * Expansion Opportunities record Dispatched and publishes `expansion.received`. Every effect is keyed by
 * the opportunity, so a second hand-off of the same opportunity makes no second draft.
 */
import { z } from "zod";
import { EXPANSION_TYPES, hasNumericEvidence } from "../../../domain/expansion.js";
import type { TaskOf } from "../../../graphs/agent.js";
import type { NodeFn } from "../../../graphs/agent-graph.js";
import { accountIdField, parseTaskOrReject } from "../../shared/task-input.js";

const evidenceValue = z.union([
  z.number().finite(),
  z.string().max(1000),
  z.array(z.string().max(200)).max(50),
  z.boolean(),
  z.null(),
]);

/** The figures behind an opportunity, by name: an opportunity without a number is not evidence-backed. */
export const evidenceSchema = z
  .record(z.string().min(1).max(100), evidenceValue)
  .refine((e) => hasNumericEvidence(e as Record<string, number | string | string[] | null>), {
    message: 'evidence must hold at least one figure (a number), e.g. {"seats_used": 95}',
  });

export const HandleExpansionOpportunityTaskSchema = z.strictObject({
  type: z.literal("handle_expansion_opportunity"),
  account_id: accountIdField,
  opportunity_type: z.enum(EXPANSION_TYPES),
  evidence: evidenceSchema,
  estimated_arr_impact: z.number().finite().min(0),
  recommended_talk_track: z.string().trim().min(1).max(4000),
  confidence: z.number().min(0).max(1),
  /** The Expansion Opportunities record (hand-offs from Customer Success always name it). */
  opportunity_id: z.string().min(1).max(200).optional(),
  /** The module or integration proposed, when there is one. */
  product: z.string().min(1).max(200).optional(),
});
export type HandleExpansionOpportunityTask = TaskOf<typeof HandleExpansionOpportunityTaskSchema>;

export const HANDLE_EXPANSION_OPPORTUNITY_DESCRIPTION =
  "Drafts an expansion opportunity (evidence and talk track) to the account executive, or SALES_FALLBACK_EMAIL, marks the record Dispatched and publishes expansion.received. {account_id, opportunity_type: seats|module|integration, evidence, estimated_arr_impact, recommended_talk_track, confidence, opportunity_id?, product?}";

/** The task as the handler reads it: checked again, as a hand-off skipped the API's validation. */
export const parseOpportunity = (task: unknown): HandleExpansionOpportunityTask =>
  parseTaskOrReject(HandleExpansionOpportunityTaskSchema, task, "expansion hand-off");

export interface HandleExpansionOpportunityScratch {
  /** Who the draft goes to, and why when it is the fallback address. */
  to: string;
  fallback_note: string | null;
  /** The record named by the task (validate), then the record the draft is about (draft). */
  opportunity_id: string | null;
  draft_id: string;
  subject: string;
}

export type HandleExpansionOpportunityNode = NodeFn<
  HandleExpansionOpportunityTask,
  HandleExpansionOpportunityScratch
>;

/** The run's result: the draft and where the record stands. */
export interface HandleExpansionOpportunityResult {
  // draft
  draft_created: boolean;
  // dispatch
  account_id: string;
  opportunity_id: string;
  opportunity_type: HandleExpansionOpportunityTask["opportunity_type"];
  estimated_arr_impact: number;
  draft_id: string;
  subject: string;
  to: string;
  recipient: "sales_fallback" | "account_executive";
  /** Why the draft went to the fallback address. */
  recipient_note?: string;
  record_status: string | null;
  confidence: "high";
}
