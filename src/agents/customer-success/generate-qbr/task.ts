/**
 * `generate_qbr` `{account_id, period?, trigger?, force_new?}`: a Quarterly Business Review as a page in
 * the QBRs data source, and a review draft to the CSM owner.
 *
 *   gather -> compose -> render -> publish -> notify
 *
 * The default period is the quarter just ended (run on 1 April, the QBR reviews Q1). Each node leaves its
 * output in the qbr_drafts row of the run (store.ts), so a crash resumes at a node boundary without
 * gathering or composing again, and graph state holds only small fields. One QBR per account and period:
 * generating again rewrites the same page unless force_new.
 */
import { z } from "zod";
import type { TaskOf } from "../../../graphs/agent.js";
import type { NodeFn } from "../../../graphs/agent-graph.js";
import { QBR_TRIGGERS, type QbrTrigger } from "./facts.js";

const QUARTER_LABEL = /^\s*Q[1-4]\s+\d{4}\s*$/i;

export const GenerateQbrTaskSchema = z.strictObject({
  type: z.literal("generate_qbr"),
  account_id: z.string().min(1),
  period: z
    .string()
    .regex(QUARTER_LABEL, 'expected a quarter such as "Q3 2026"')
    .optional()
    .describe('the quarter to review, e.g. "Q3 2026"; default: the quarter just ended'),
  trigger: z.enum(QBR_TRIGGERS).optional().describe("what asked for the QBR; default manual"),
  force_new: z.boolean().optional().describe("write a new page even if the account has a QBR for the period"),
});
export type GenerateQbrTask = TaskOf<typeof GenerateQbrTaskSchema>;

export const GENERATE_QBR_DESCRIPTION =
  "Quarterly Business Review of an account (health, ROI, feature adoption, expansion) as a QBRs page, with a review draft to the CSM owner";

/** What publish tells notify: whether an existing page was rewritten (the rest is in the draft row). */
export interface GenerateQbrScratch {
  rewritten: boolean;
}

export type GenerateQbrNode = NodeFn<GenerateQbrTask, GenerateQbrScratch>;

/** The nodes, for progress: each reports its place among them. */
export const QBR_STEPS = 5;

/** The run's result, node by node. */
export interface GenerateQbrResult {
  // gather
  account_id: string;
  account_name: string;
  period: string;
  trigger: QbrTrigger;
  health_points: number;
  // compose
  generated_by: "llm" | "template";
  fallback_reason?: string;
  // render
  blocks: number;
  // publish
  qbr_id: string;
  url: string | null;
  status: string;
  health_score: number | null;
  rewritten: boolean;
  records: string;
  // notify
  draft_id: string | null;
  draft_to: string | null;
  draft_skipped: string | null;
}
