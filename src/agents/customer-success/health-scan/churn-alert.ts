/**
 * A churn alert for one account over the four channels: records update, `churn.risk_flagged` +
 * `alert.raised` events, a Gmail draft to the CSM owner and a Slack alert. The narrative comes from the
 * llm port (structured output), grounded in the facts, with the template as fallback.
 */
import type { AlertField } from "../../../adapters/chat/port.js";
import { alertSeverity } from "../../../domain/churn-alerts.js";
import type { ChurnLevel, Rag } from "../../../domain/types.js";
import type { AgentDeps } from "../../deps.js";
import {
  type ChannelOutcome,
  type ChannelOutcomes,
  deliverFourChannels,
} from "../../shared/alert-channels.js";
import { alertChannelOf, csmOwnerRecipient } from "../../shared/recipients.js";
import { AGENT_ID } from "../agent-id.js";
import { narrateChurn } from "../churn-narrative.js";
import { type ChurnFacts, type ChurnNarrative, churnFacts } from "../prompts.js";
import type { HealthDetail, ScanAccount } from "../scoring.js";

export interface ChurnAlertSubject {
  /** The account as the scan loaded it. */
  account: ScanAccount;
  score: number;
  rag: Rag;
  churn_level: ChurnLevel;
  detail: HealthDetail;
  /** `churn-alert:{account_id}:{level}:{date}`: one alert per account, level and repeat window. */
  key: string;
  run_id: string;
  /** The scan's instant: what CSM Last Scan says. */
  scan_at: string;
}

export interface ChurnAlertOutcome {
  channels: ChannelOutcomes;
  generated_by: "llm" | "template";
}

const money = (n: number | null): string =>
  n === null ? "unknown" : `$${Math.round(n).toLocaleString("en-US")}`;

export const alertSubject = (name: string, rag: Rag, score: number, level: ChurnLevel): string =>
  `[CSM ALERT] ${name}: ${rag} health (${score}), churn risk ${level}`;

function driverLines(facts: ChurnFacts): string[] {
  return facts.top_drivers.map((d) => `- ${d.label}: ${d.value} (cost ${d.points_lost} points)`);
}

export function alertBody(facts: ChurnFacts, narrative: ChurnNarrative): string {
  const h = facts.health;
  return [
    narrative.risk_narrative,
    "",
    `Health score: ${h.score} (${h.rag})${h.previous_score === null ? "" : `, previous ${h.previous_score}`}; trend ${h.trend}`,
    `Churn risk: ${facts.churn.level}`,
    `ARR: ${money(facts.account.arr)}; renewal date: ${facts.account.renewal_date ?? "unknown"}`,
    "",
    "Top drivers:",
    ...(facts.top_drivers.length > 0 ? driverLines(facts) : ["- none: every signal scores full marks"]),
    "",
    "Recommended actions:",
    ...narrative.recommended_actions.map((a, i) => `${i + 1}. ${a}`),
    "",
    "This is a draft for your review; nothing has been sent to the customer.",
  ].join("\n");
}

export function alertFields(facts: ChurnFacts): AlertField[] {
  return [
    { label: "Score", value: String(facts.health.score) },
    { label: "RAG", value: facts.health.rag },
    { label: "Churn risk", value: facts.churn.level },
    { label: "ARR", value: money(facts.account.arr) },
    { label: "Renewal date", value: facts.account.renewal_date ?? "unknown" },
    {
      label: "Top drivers",
      value:
        facts.top_drivers.length > 0
          ? facts.top_drivers.map((d) => `${d.label} (${d.value})`).join(", ")
          : "none",
    },
  ];
}

export async function raiseChurnAlert(deps: AgentDeps, s: ChurnAlertSubject): Promise<ChurnAlertOutcome> {
  const facts = churnFacts(s.account, s.score, s.rag, s.detail, new Date(s.scan_at));
  const narrative = await narrateChurn(deps, facts);
  const subject = alertSubject(s.account.name, s.rag, s.score, s.churn_level);
  const body = alertBody(facts, narrative.output);
  const recipient = csmOwnerRecipient(s.account);
  const severity = alertSeverity(s.rag, s.churn_level);
  const patch = {
    csm_health_score: s.score,
    csm_health_rag: s.rag,
    churn_risk: s.churn_level,
    csm_last_scan: s.scan_at,
  };

  const channels = await deliverFourChannels(deps, {
    key: s.key,
    // The scan already wrote changed values; this makes sure the record shows what the alert says even
    // when that write failed, and writes nothing when the record is already current.
    records: async (): Promise<ChannelOutcome> => {
      const current = await deps.records.getAccount(s.account.id);
      if (!current) return { status: "failed", error: `account ${s.account.id} not found in the records` };
      if (
        current.csm_health_score === s.score &&
        current.csm_health_rag === s.rag &&
        current.churn_risk === s.churn_level
      ) {
        return { status: "ok", detail: "already current" };
      }
      await deps.records.updateAccount(s.account.id, patch, { idempotencyKey: `${s.key}:records` });
      return { status: "ok", detail: "updated" };
    },
    draft:
      recipient.to === null
        ? { skip: recipient.reason ?? "no recipient" }
        : {
            to: recipient.to,
            subject,
            text: body,
            account_id: s.account.id,
            run_id: s.run_id,
            kind: "churn_alert",
          },
    chat: {
      channel: alertChannelOf(s.account),
      severity,
      title: subject.replace("[CSM ALERT] ", ""),
      text: narrative.output.risk_narrative,
      fields: alertFields(facts),
      account_id: s.account.id,
      run_id: s.run_id,
    },
    events: async (others) => {
      const common = { source: AGENT_ID, account_id: s.account.id, run_id: s.run_id };
      await deps.bus.publish("churn.risk_flagged", {
        ...common,
        payload: { level: s.churn_level, score: s.score, rag: s.rag, reasons: s.detail.churn.reasons },
      });
      if (others.draft.status === "ok" && others.draft.id && recipient.to) {
        await deps.bus.publish("draft.created", {
          ...common,
          payload: { draft_id: others.draft.id, to: recipient.to, subject, kind: "churn_alert" },
        });
      }
      await deps.bus.publish("alert.raised", {
        ...common,
        payload: {
          severity,
          title: subject,
          channels: {
            records: others.records.status,
            draft: others.draft.status,
            chat: others.chat.status,
            events: "ok",
          },
          reason: s.detail.churn.alert_reasons.join("; "),
        },
      });
    },
  });
  return { channels, generated_by: narrative.generated_by };
}
