/**
 * The assessment: the account scored now, with the same rules, history and escalations as the health
 * scan, and the churn narrative.
 */
import { churnTrigger } from "../../../../domain/churn.js";
import { isOpenTicket } from "../../../../domain/types.js";
import type { AgentDeps } from "../../../deps.js";
import { narrateChurn } from "../../churn-narrative.js";
import { countEscalations, loadHistory } from "../../history.js";
import { churnFacts } from "../../prompts.js";
import { scoreAccount } from "../../scoring.js";
import { csmSettings } from "../../settings.js";
import type { AssessChurnRiskNode, AssessChurnRiskResult } from "../task.js";

export const assess =
  (deps: AgentDeps): AssessChurnRiskNode =>
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
      const skipped: AssessChurnRiskResult = {
        account_id,
        account_name: account.name,
        skipped: outcome.reason,
        confidence: "low",
      };
      return { result: { ...skipped } };
    }
    const { detail } = outcome;
    const facts = churnFacts(account, outcome.score, outcome.rag, detail, now);
    const narrative = await narrateChurn(deps, facts);
    const result: AssessChurnRiskResult = {
      account_id,
      account_name: account.name,
      score: outcome.score,
      rag: outcome.rag,
      churn_risk: outcome.churn_level,
      trigger_type: churnTrigger(detail.churn),
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
    };
    return { result: { ...result } };
  };
