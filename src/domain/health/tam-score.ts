/**
 * TAM (technical) health score: start at 100 and subtract penalties for aged high-priority tickets,
 * ticket backlog and a silent integration heartbeat.
 */
import { hoursBetween } from "../calendar.js";
import { isOpenTicket, type TamStatus, type Ticket } from "../types.js";

export const TAM_RULES = Object.freeze({
  agedTicketHours: 72,
  agedP1P2Penalty: 20,
  freeOpenTickets: 5,
  perExtraOpenTicketPenalty: 5,
  heartbeatStaleHours: 72,
  heartbeatStalePenalty: 15,
  heartbeatDeadHours: 144,
  heartbeatDeadPenalty: 30,
  redBelow: 40,
  amberBelow: 70,
});

export interface TamPenalty {
  reason: string;
  /** Points subtracted from 100. */
  points: number;
}

export interface TamHealthResult {
  score: number;
  status: TamStatus;
  penalties: TamPenalty[];
  open_tickets: number;
  aged_p1_p2: number;
}

export interface TamScoreInput {
  /** The account's tickets, any status; only open ones (Open, Pending) count. */
  tickets: readonly Ticket[];
  last_heartbeat: string | null;
  now: Date;
}

export function tamStatusFor(score: number): TamStatus {
  return score < TAM_RULES.redBelow ? "Red" : score < TAM_RULES.amberBelow ? "Amber" : "Green";
}

export function scoreTamHealth({ tickets, last_heartbeat, now }: TamScoreInput): TamHealthResult {
  const open = tickets.filter(isOpenTicket);
  const aged = open.filter(
    (t) =>
      (t.priority === "P1" || t.priority === "P2") && hoursBetween(t.opened, now) > TAM_RULES.agedTicketHours,
  );
  const penalties: TamPenalty[] = [];

  if (aged.length > 0) {
    penalties.push({
      reason: `${aged.length} open P1/P2 ticket(s) older than ${TAM_RULES.agedTicketHours} h`,
      points: aged.length * TAM_RULES.agedP1P2Penalty,
    });
  }
  const extraOpen = open.length - TAM_RULES.freeOpenTickets;
  if (extraOpen > 0) {
    penalties.push({
      reason: `${open.length} open tickets, ${extraOpen} beyond ${TAM_RULES.freeOpenTickets}`,
      points: extraOpen * TAM_RULES.perExtraOpenTicketPenalty,
    });
  }
  // No heartbeat ever recorded means the account has no monitored integration, not a dead one.
  if (last_heartbeat !== null) {
    const silentHours = hoursBetween(last_heartbeat, now);
    if (silentHours > TAM_RULES.heartbeatDeadHours) {
      penalties.push({
        reason: `no integration heartbeat for ${Math.floor(silentHours)} h (over ${TAM_RULES.heartbeatDeadHours} h)`,
        points: TAM_RULES.heartbeatDeadPenalty,
      });
    } else if (silentHours > TAM_RULES.heartbeatStaleHours) {
      penalties.push({
        reason: `no integration heartbeat for ${Math.floor(silentHours)} h (over ${TAM_RULES.heartbeatStaleHours} h)`,
        points: TAM_RULES.heartbeatStalePenalty,
      });
    }
  }

  const score = Math.max(0, Math.min(100, 100 - penalties.reduce((sum, p) => sum + p.points, 0)));
  return {
    score,
    status: tamStatusFor(score),
    penalties,
    open_tickets: open.length,
    aged_p1_p2: aged.length,
  };
}

export interface EscalationDecision {
  escalate: boolean;
  reasons: string[];
}

/**
 * Escalate on a critical score, on turning Red, or on the first slip from Green to Amber; an account
 * that stays Amber is not escalated again on every scan.
 */
export function shouldEscalate(
  current: { score: number; status: TamStatus },
  previousStatus: TamStatus | null,
): EscalationDecision {
  const reasons: string[] = [];
  if (current.score < TAM_RULES.redBelow)
    reasons.push(`score ${current.score} is below ${TAM_RULES.redBelow}`);
  if (current.status === "Red" && previousStatus !== "Red") {
    reasons.push(`status became Red (was ${previousStatus ?? "unknown"})`);
  }
  if (current.status === "Amber" && previousStatus === "Green")
    reasons.push("status went from Green to Amber");
  return { escalate: reasons.length > 0, reasons };
}
