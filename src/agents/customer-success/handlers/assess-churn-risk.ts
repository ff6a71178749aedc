/**
 * `assess_churn_risk` `{account_id}`: one account's health and churn risk with the narrative a CSM would
 * read (why it is at risk, what to do). Read-only: it writes no record, history, draft or alert; the
 * health scan does those, so an on-demand look never disturbs the scan's change and repeat rules.
 */
import { z } from "zod";
import { isOpenTicket } from "../../../domain/types.js";
import type { NodeFn } from "../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../deps.js";
import { narrateChurn } from "../alerts/churn-alert.js";
import { countEscalations, loadHistory } from "../history.js";
import { churnFacts } from "../prompts.js";
import { scoreAccount } from "../scoring.js";
import { csmSettings } from "../settings.js";
import type { CsTaskHandler } from "./types.js";

export const AssessChurnRiskTaskSchema = z.strictObject({
  type: z.literal("assess_churn_risk"),
  account_id: z.string().min(1),
});
export type AssessChurnRiskTask = z.infer<typeof AssessChurnRiskTaskSchema>;

const triggerType = (contract: boolean, behavioural: boolean) =>
  contract && behavioural
    ? "combined"
    : contract
      ? "contract_proximity"
      : behavioural
        ? "behavioural"
        : "none";

const assess =
  (deps: AgentDeps): NodeFn<AssessChurnRiskTask> =>
  async (ctx) => {
    const { account_id } = ctx.task;
    const account = await deps.records.getAccount(account_id);
    if (!account) throw new Error(`account ${account_id} not found`);
    const now = deps.clock.now();
    const [tickets, history, escalations] = await Promise.all([
      deps.records.listTickets(account_id),
      loadHistory(deps.store.db, [account_id], ctx.run_id, now),
      countEscalations(deps.store.db, [account_id], now),
    ]);
    const outcome = scoreAccount(
      {
        account,
        openTickets: tickets.filter(isOpenTicket).length,
        extraEscalations: escalations.get(account_id) ?? 0,
        history: history.get(account_id)?.history ?? [],
        previous: history.get(account_id)?.previous ?? null,
      },
      now,
      csmSettings(deps.config),
    );
    if (outcome.kind === "skipped") {
      return {
        result: { account_id, account_name: account.name, skipped: outcome.reason, confidence: "low" },
      };
    }
    const { detail } = outcome;
    const facts = churnFacts(account, outcome.score, outcome.rag, detail, now);
    const narrative = await narrateChurn(deps, facts);
    return {
      result: {
        account_id,
        account_name: account.name,
        score: outcome.score,
        rag: outcome.rag,
        churn_risk: outcome.churn_level,
        trigger_type: triggerType(detail.churn.contract_proximity, detail.churn.behavioural),
        reasons: detail.churn.reasons,
        should_alert: outcome.should_alert,
        alert_reasons: detail.churn.alert_reasons,
        risk_narrative: narrative.output.risk_narrative,
        recommended_actions: narrative.output.recommended_actions,
        generated_by: narrative.generated_by,
        top_drivers: facts.top_drivers,
        trend: detail.trend,
        breakdown: detail.breakdown,
        data_completeness: detail.data_completeness,
        confidence: detail.confidence,
      },
    };
  };

export const assessChurnRiskHandler: CsTaskHandler<typeof AssessChurnRiskTaskSchema> = {
  schema: AssessChurnRiskTaskSchema,
  description: "Assess one account's churn risk with a narrative and recommended actions (read-only)",
  build: (deps) => assess(deps),
};
