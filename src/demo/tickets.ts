/** The demo book's support tickets: closed ones from the last months and the open ones a profile plans. */
import { MS_PER_DAY, MS_PER_HOUR } from "../domain/calendar.js";
import type { Ticket, TicketPriority, TicketStatus } from "../domain/types.js";
import { isoTime } from "./dates.js";
import type { Prng } from "./prng.js";
import type { Profile } from "./profiles.js";

const SEVERE_SUBJECTS = [
  "Data sync failing since last release",
  "Dashboards timing out for all users",
  "SSO login broken for the whole team",
  "API returning 500 errors intermittently",
  "Webhook deliveries delayed by hours",
  "Scheduled exports stuck in queue",
  "Missing records after nightly import",
  "Reports show wrong totals",
  "Integration heartbeat lost, sync stopped",
  "Production outage: cannot log in",
] as const;

const ROUTINE_SUBJECTS = [
  "How to configure alert thresholds",
  "Request: bulk user invite via CSV",
  "Question about the last invoice",
  "Feature request: custom fields in reports",
  "Mobile app crashes on launch",
  "Password reset email not received",
  "How to schedule a weekly report",
  "Change billing contact",
  "Dashboard filter not saving",
  "Request: dark mode",
  "Add a new admin user",
  "Slow page loads in the afternoon",
  "Timezone wrong on exported CSV",
  "How to archive old projects",
] as const;

const ONBOARDING_SUBJECTS = [
  "Help with data import mapping",
  "SSO setup assistance",
  "Kickoff follow-up questions",
  "Inviting team members fails",
  "Which integration should we start with?",
  "First dashboard template request",
] as const;

/** What ticket generation needs of the book being built: the tickets so far and the width of their ids. */
export interface TicketCtx {
  rng: Prng;
  nowMs: number;
  tickets: Ticket[];
  ticketWidth: number;
}

function nextTicket(
  ctx: TicketCtx,
  accountId: string,
  subject: string,
  priority: TicketPriority,
  status: TicketStatus,
  openedMs: number,
): Ticket {
  const id = `tkt_${String(ctx.tickets.length + 1).padStart(ctx.ticketWidth, "0")}`;
  const ticket: Ticket = { id, account_id: accountId, subject, priority, status, opened: isoTime(openedMs) };
  ctx.tickets.push(ticket);
  return ticket;
}

function subjectFor(rng: Prng, priority: TicketPriority, onboarding: boolean): string {
  if (onboarding && priority !== "P1" && rng.chance(0.7)) return rng.pick(ONBOARDING_SUBJECTS);
  return priority === "P1" || priority === "P2" ? rng.pick(SEVERE_SUBJECTS) : rng.pick(ROUTINE_SUBJECTS);
}

/** Tickets of one account; returns how many are open (Open or Pending). */
export function makeTickets(ctx: TicketCtx, accountId: string, p: Profile, signupMs: number): number {
  const { rng, nowMs } = ctx;
  const onboarding = p.onboarding !== null;
  const oldest = Math.max(signupMs, nowMs - 120 * MS_PER_DAY);
  // Churned accounts stopped filing tickets around their last login.
  const newest = p.status === "Churned" ? nowMs - p.loginDays * MS_PER_DAY : nowMs - 3 * MS_PER_HOUR;
  for (let i = 0; i < p.closedTickets; i++) {
    const priority = rng.weighted<TicketPriority>([
      ["P1", 1],
      ["P2", 2],
      ["P3", 5],
      ["P4", 3],
    ]);
    const opened = oldest + rng.next() * Math.max(0, newest - oldest);
    nextTicket(
      ctx,
      accountId,
      subjectFor(rng, priority, onboarding),
      priority,
      rng.chance(0.6) ? "Closed" : "Resolved",
      opened,
    );
  }
  for (const plan of p.openTickets) {
    const ageH = rng.float(plan.minAgeH, plan.maxAgeH);
    const opened = Math.max(signupMs + MS_PER_HOUR, nowMs - ageH * MS_PER_HOUR);
    nextTicket(
      ctx,
      accountId,
      subjectFor(rng, plan.priority, onboarding),
      plan.priority,
      rng.chance(0.7) ? "Open" : "Pending",
      opened,
    );
  }
  return p.openTickets.length;
}
