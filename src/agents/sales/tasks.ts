/**
 * The task types the Sales agent accepts. handle_expansion_opportunity arrives over HTTP (validated
 * before a run starts: a bad field is a 400 naming it) or as a hand-off from Customer Success (validated
 * by the handler: the run fails naming the field, and operators get an alert).
 */
import { z } from "zod";
import { EXPANSION_TYPES, hasNumericEvidence } from "../../domain/expansion.js";
import type { TaskTypeInfo } from "../../graphs/agent.js";

export const AGENT_ID = "sales";

const accountId = z.string().min(1).max(200);

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

export const handleExpansionOpportunityTask = z.strictObject({
  type: z.literal("handle_expansion_opportunity"),
  account_id: accountId,
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

export const dispatchTamHealthCheckTask = z.strictObject({
  type: z.literal("dispatch_tam_health_check"),
  account_id: accountId,
  reason: z.string().trim().min(1).max(1000),
});

export const salesTaskSchema = z.discriminatedUnion("type", [
  handleExpansionOpportunityTask,
  dispatchTamHealthCheckTask,
]);

export type HandleExpansionOpportunityTask = z.infer<typeof handleExpansionOpportunityTask>;
export type DispatchTamHealthCheckTask = z.infer<typeof dispatchTamHealthCheckTask>;

export const SALES_TASKS: TaskTypeInfo[] = [
  {
    type: "handle_expansion_opportunity",
    description:
      "Drafts an expansion opportunity (evidence and talk track) to the account executive, or SALES_FALLBACK_EMAIL, marks the record Dispatched and publishes expansion.received. {account_id, opportunity_type: seats|module|integration, evidence, estimated_arr_impact, recommended_talk_track, confidence, opportunity_id?, product?}",
  },
  {
    type: "dispatch_tam_health_check",
    description:
      "Hands a TAM health_scan of the account over the bus and returns the TAM run id. {account_id, reason}",
  },
];
