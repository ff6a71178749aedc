/**
 * A TAM escalation over the four independent channels: the records
 * (Health fields current), `tam.escalation_raised` (the CSM agent counts it into its score) with
 * `alert.raised`, a draft outreach to the account's owner, and a Slack alert. One failing channel never
 * stops the others; each channel that succeeded is remembered under the escalation's key.
 */
import type { AlertField } from "../../../adapters/chat/port.js";
import type { TamHealthResult } from "../../../domain/health/tam-score.js";
import { escalationSeverity } from "../../../domain/tam-escalation.js";
import type { Account, TamStatus, Ticket } from "../../../domain/types.js";
import type { AgentDeps } from "../../deps.js";
import {
  type ChannelOutcome,
  type ChannelOutcomes,
  deliverFourChannels,
} from "../../shared/alert-channels.js";
import { alertChannelOf, csmOwnerRecipient } from "../../shared/recipients.js";
import { AGENT_ID } from "../agent-id.js";
import { outreachDraftText, writeOutreach } from "../outreach.js";
import { outreachFacts } from "../prompts.js";

export interface EscalationSubject {
  account: Account;
  health: TamHealthResult;
  previous_status: TamStatus | null;
  reasons: string[];
  tickets: readonly Ticket[];
  /** `tam-escalation:{account_id}:{status}:{date}`. */
  key: string;
  run_id: string;
  scan_at: string;
}

export interface EscalationOutcome {
  channels: ChannelOutcomes;
  generated_by: "llm" | "template";
  subject: string;
}

const money = (n: number | null): string =>
  n === null ? "unknown" : `$${Math.round(n).toLocaleString("en-US")}`;

export const escalationTitle = (name: string, status: TamStatus, score: number): string =>
  `[TAM ESCALATION] ${name}: ${status} technical health (${score})`;

export async function raiseEscalation(deps: AgentDeps, s: EscalationSubject): Promise<EscalationOutcome> {
  const now = new Date(s.scan_at);
  const facts = outreachFacts(s.account, s.health, s.previous_status, s.reasons, s.tickets, now);
  const outreach = await writeOutreach(deps, facts);
  const recipient = csmOwnerRecipient(s.account);
  const title = escalationTitle(s.account.name, s.health.status, s.health.score);
  const severity = escalationSeverity(s.health.status);
  const common = { source: AGENT_ID, account_id: s.account.id, run_id: s.run_id };
  const fields: AlertField[] = [
    { label: "Score", value: String(s.health.score) },
    { label: "Status", value: `${s.health.status}${s.previous_status ? ` (was ${s.previous_status})` : ""}` },
    { label: "Open tickets", value: String(s.health.open_tickets) },
    { label: "Aged P1/P2", value: String(s.health.aged_p1_p2) },
    { label: "Last heartbeat", value: s.account.last_heartbeat ?? "none recorded" },
    { label: "ARR", value: money(s.account.arr) },
  ];

  const channels = await deliverFourChannels(deps, {
    key: s.key,
    // The scan already wrote the Health fields; this makes sure the record says what the escalation says
    // even when that write failed, and writes nothing when it is already current.
    records: async (): Promise<ChannelOutcome> => {
      const current = await deps.records.getAccount(s.account.id);
      if (!current) return { status: "failed", error: `account ${s.account.id} not found in the records` };
      if (current.health_score === s.health.score && current.health_status === s.health.status) {
        return { status: "ok", detail: "already current" };
      }
      await deps.records.updateAccount(
        s.account.id,
        { health_score: s.health.score, health_status: s.health.status, last_health_scan: s.scan_at },
        { idempotencyKey: `${s.key}:records` },
      );
      return { status: "ok", detail: "updated" };
    },
    draft:
      recipient.to === null
        ? { skip: recipient.reason ?? "no recipient" }
        : {
            to: recipient.to,
            subject: outreach.output.subject,
            text: outreachDraftText(facts, outreach.output),
            account_id: s.account.id,
            run_id: s.run_id,
            kind: "tam_escalation",
          },
    chat: {
      channel: alertChannelOf(s.account),
      severity,
      title: title.replace("[TAM ESCALATION] ", ""),
      text: outreach.output.key_issues.join("\n"),
      fields,
      account_id: s.account.id,
      run_id: s.run_id,
    },
    events: async (others) => {
      await deps.bus.publish("tam.escalation_raised", {
        ...common,
        payload: {
          score: s.health.score,
          status: s.health.status,
          previous_status: s.previous_status,
          reasons: s.reasons,
        },
      });
      if (others.draft.status === "ok" && others.draft.id && recipient.to) {
        await deps.bus.publish("draft.created", {
          ...common,
          payload: {
            draft_id: others.draft.id,
            to: recipient.to,
            subject: outreach.output.subject,
            kind: "tam_escalation",
          },
        });
      }
      await deps.bus.publish("alert.raised", {
        ...common,
        payload: {
          severity,
          title,
          channels: {
            records: others.records.status,
            draft: others.draft.status,
            chat: others.chat.status,
            events: "ok",
          },
          reason: s.reasons.join("; "),
        },
      });
    },
  });
  return { channels, generated_by: outreach.generated_by, subject: outreach.output.subject };
}
