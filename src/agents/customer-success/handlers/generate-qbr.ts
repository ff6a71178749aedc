/**
 * `generate_qbr` `{account_id, period?, trigger?, force_new?}` (issue 5, item 1): a Quarterly Business
 * Review as a page in the QBRs data source, and a review draft to the CSM owner.
 *
 *   gather -> compose -> render -> publish -> notify
 *
 * The default period is the quarter just ended (run on 1 April, the QBR reviews Q1). Each node leaves its
 * output in the qbr_drafts row of the run, so a crash resumes at a node boundary without gathering or
 * composing again, and graph state holds only small fields. One QBR per account and period: generating
 * again rewrites the same page unless force_new.
 */
import { z } from "zod";
import { parseQuarterLabel } from "../../../domain/calendar.js";
import type { NodeFn } from "../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../deps.js";
import { composeQbr } from "../qbr/compose.js";
import { QBR_TRIGGERS } from "../qbr/facts.js";
import { gatherQbrFacts } from "../qbr/gather.js";
import { notifyQbr } from "../qbr/notify.js";
import { publishQbr } from "../qbr/publish.js";
import { renderQbr } from "../qbr/render.js";
import { QbrDraftStore, requireDraft } from "../qbr/store.js";
import type { CsTaskHandler } from "./types.js";

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
export type GenerateQbrTask = z.infer<typeof GenerateQbrTaskSchema>;

const TOTAL_STEPS = 5;

function gather(deps: AgentDeps, store: QbrDraftStore): NodeFn<GenerateQbrTask> {
  return async (ctx) => {
    const now = deps.clock.now();
    await store.prune(now);
    const trigger = ctx.task.trigger ?? "manual";
    const facts = await gatherQbrFacts(deps, {
      account_id: ctx.task.account_id,
      period: ctx.task.period === undefined ? undefined : parseQuarterLabel(ctx.task.period).label,
      trigger,
    });
    await store.saveFacts(ctx.run_id, facts, trigger, now);
    ctx.progress({ phase: "gather", done: 1, total: TOTAL_STEPS });
    return {
      result: {
        account_id: facts.account.id,
        account_name: facts.account.name,
        period: facts.period.label,
        trigger,
        health_points: facts.health.points,
      },
    };
  };
}

function compose(deps: AgentDeps, store: QbrDraftStore): NodeFn<GenerateQbrTask> {
  return async (ctx) => {
    const row = await requireDraft(store, ctx.run_id);
    let generatedBy = row.generated_by;
    let fallback = row.fallback_reason;
    // A re-run after the sections were stored keeps them: the model is not asked twice for one QBR.
    if (row.sections === null || generatedBy === null) {
      const composed = await composeQbr(deps, row.facts);
      generatedBy = composed.generated_by;
      fallback = composed.fallback_reason ?? null;
      await store.saveSections(ctx.run_id, composed.output, generatedBy, fallback, deps.clock.now());
    }
    ctx.progress({ phase: "compose", done: 2, total: TOTAL_STEPS });
    return { result: { generated_by: generatedBy, ...(fallback ? { fallback_reason: fallback } : {}) } };
  };
}

function render(deps: AgentDeps, store: QbrDraftStore): NodeFn<GenerateQbrTask> {
  return async (ctx) => {
    const row = await requireDraft(store, ctx.run_id);
    if (row.sections === null || row.generated_by === null)
      throw new Error("the QBR has no composed sections");
    const body = renderQbr(row.facts, row.sections, { generated_by: row.generated_by });
    await store.saveBody(ctx.run_id, body, deps.clock.now());
    ctx.progress({ phase: "render", done: 3, total: TOTAL_STEPS });
    return { result: { blocks: body.length } };
  };
}

function publish(deps: AgentDeps, store: QbrDraftStore): NodeFn<GenerateQbrTask> {
  return async (ctx) => {
    const row = await requireDraft(store, ctx.run_id);
    if (row.body === null) throw new Error("the QBR has no rendered body");
    const { qbr, rewritten } = await publishQbr(deps, {
      run_id: ctx.run_id,
      facts: row.facts,
      body: row.body,
      force_new: ctx.task.force_new === true,
    });
    await store.savePage(ctx.run_id, qbr.id, qbr.url, deps.clock.now());
    ctx.progress({ phase: "publish", done: 4, total: TOTAL_STEPS });
    return {
      result: {
        qbr_id: qbr.id,
        url: qbr.url,
        status: qbr.status,
        health_score: qbr.health_score,
        rewritten,
        records: deps.records.kind,
      },
      scratch: { rewritten },
    };
  };
}

function notify(deps: AgentDeps, store: QbrDraftStore): NodeFn<GenerateQbrTask> {
  return async (ctx) => {
    const row = await requireDraft(store, ctx.run_id);
    if (row.qbr_id === null || row.generated_by === null) throw new Error("the QBR was not published");
    const outcome = await notifyQbr(deps, {
      run_id: ctx.run_id,
      facts: row.facts,
      qbr: { id: row.qbr_id, url: row.qbr_url },
      rewritten: ctx.scratch.rewritten === true,
      generated_by: row.generated_by,
    });
    ctx.progress({ phase: "notify", done: 5, total: TOTAL_STEPS });
    return { result: { ...outcome } };
  };
}

export const generateQbrHandler: CsTaskHandler<typeof GenerateQbrTaskSchema> = {
  schema: GenerateQbrTaskSchema,
  description:
    "Quarterly Business Review of an account (health, ROI, feature adoption, expansion) as a QBRs page, with a review draft to the CSM owner",
  build(deps) {
    const store = new QbrDraftStore(deps.store.db);
    return [
      ["gather", gather(deps, store)],
      ["compose", compose(deps, store)],
      ["render", render(deps, store)],
      ["publish", publish(deps, store)],
      ["notify", notify(deps, store)],
    ];
  },
};
