/**
 * One account through the TAM health scan's rules: whether the scan covers it, its technical health, and
 * whether it escalates (a change the rules fire on, or an escalation deferred earlier and still due).
 * Throws what scoreTamHealth throws on unusable data (e.g. an unreadable date). Pure.
 */
import { tamScanIneligibility } from "../eligibility.js";
import { type DeferredEscalation, stillDue } from "../tam-escalation.js";
import type { Account, TamStatus, Ticket } from "../types.js";
import { scoreTamHealth, shouldEscalate, type TamPenalty } from "./tam-score.js";

export interface TamOutcomeDetail {
  penalties: TamPenalty[];
  escalation_reasons: string[];
}

export type TamScanOutcome =
  | { kind: "skipped"; reason: string }
  | {
      kind: "scored";
      score: number;
      status: TamStatus;
      previous_status: TamStatus | null;
      open_tickets: number;
      aged_p1_p2: number;
      escalate: boolean;
      detail: TamOutcomeDetail;
    };

/** `deferred` is an escalation an earlier scan deferred and nobody raised since. */
export function tamScanOutcome(
  account: Pick<Account, "status" | "last_heartbeat" | "health_status">,
  tickets: readonly Ticket[],
  now: Date,
  deferred?: DeferredEscalation,
): TamScanOutcome {
  const ineligible = tamScanIneligibility(account);
  if (ineligible) return { kind: "skipped", reason: ineligible };
  const health = scoreTamHealth({ tickets, last_heartbeat: account.last_heartbeat, now });
  const previous = account.health_status;
  const decision = shouldEscalate(health, previous);
  const due = decision.escalate ? null : stillDue(health.status, deferred);
  return {
    kind: "scored",
    score: health.score,
    status: health.status,
    previous_status: previous,
    open_tickets: health.open_tickets,
    aged_p1_p2: health.aged_p1_p2,
    escalate: decision.escalate || due !== null,
    detail: { penalties: health.penalties, escalation_reasons: due ? [due] : decision.reasons },
  };
}
