/**
 * The TAM's one generated text: the escalation outreach (subject, body, key issues). The model only
 * words it; the score, status and issues are decided by the domain rules and handed over as facts, and
 * every number it writes must appear in them. The template says the same from the facts alone.
 */
import { z } from "zod";
import { hoursBetween } from "../../domain/calendar.js";
import type { TamHealthResult } from "../../domain/health/tam-score.js";
import { type Account, isOpenTicket, type TamStatus, type Ticket } from "../../domain/types.js";

export interface OutreachFacts {
  account: { id: string; name: string; tier: string; arr: number | null };
  health: {
    score: number;
    status: TamStatus;
    previous_status: TamStatus | null;
    open_tickets: number;
    aged_p1_p2: number;
    heartbeat_hours_ago: number | null;
  };
  penalties: Array<{ reason: string; points: number }>;
  escalation_reasons: string[];
  /** Open tickets, P1/P2 first, oldest first: what the customer is waiting on. */
  tickets: Array<{ id: string; subject: string; priority: string; status: string; age_hours: number }>;
}

const MAX_TICKETS = 8;
const PRIORITY_ORDER: Record<string, number> = { P1: 0, P2: 1, P3: 2, P4: 3 };

export function outreachFacts(
  account: Account,
  health: TamHealthResult,
  previousStatus: TamStatus | null,
  escalationReasons: string[],
  tickets: readonly Ticket[],
  now: Date,
): OutreachFacts {
  const open = tickets
    .filter(isOpenTicket)
    .map((t) => ({
      id: t.id,
      subject: t.subject,
      priority: t.priority,
      status: t.status,
      age_hours: Math.max(0, Math.floor(hoursBetween(t.opened, now))),
    }))
    .sort(
      (a, b) =>
        (PRIORITY_ORDER[a.priority] ?? 9) - (PRIORITY_ORDER[b.priority] ?? 9) || b.age_hours - a.age_hours,
    )
    .slice(0, MAX_TICKETS);
  let heartbeat: number | null = null;
  try {
    heartbeat =
      account.last_heartbeat === null ? null : Math.floor(hoursBetween(account.last_heartbeat, now));
  } catch {
    heartbeat = null;
  }
  return {
    account: { id: account.id, name: account.name, tier: account.tier, arr: account.arr },
    health: {
      score: health.score,
      status: health.status,
      previous_status: previousStatus,
      open_tickets: health.open_tickets,
      aged_p1_p2: health.aged_p1_p2,
      heartbeat_hours_ago: heartbeat,
    },
    penalties: health.penalties,
    escalation_reasons: escalationReasons,
    tickets: open,
  };
}

export const OutreachSchema = z.object({
  subject: z.string().min(1).max(200),
  body: z.string().min(1).max(6000),
  key_issues: z.array(z.string().min(1).max(400)).min(1).max(6),
});
export type Outreach = z.infer<typeof OutreachSchema>;

export const OUTREACH_SYSTEM_PROMPT = [
  "You are a Technical Account Manager writing to a B2B SaaS customer whose technical health has slipped.",
  "Write a short, calm, specific outreach email: acknowledge the open issues, say what we are doing, and",
  "propose a technical review call. No blame, no marketing, no promises of dates.",
  "Use only the facts given. Every number you write must appear in the facts; do not invent figures.",
  'Answer as JSON: {"subject": string, "body": string, "key_issues": string[1..6]}.',
].join("\n");

export const outreachUserPrompt = (facts: OutreachFacts): string =>
  `Facts about the account (JSON):\n${JSON.stringify(facts, null, 2)}\n\nWrite the outreach.`;

function issueLines(facts: OutreachFacts): string[] {
  const lines = facts.tickets
    .filter((t) => t.priority === "P1" || t.priority === "P2")
    .map((t) => `${t.priority} "${t.subject}" open for ${t.age_hours} h`);
  if (
    facts.health.heartbeat_hours_ago !== null &&
    facts.penalties.some((p) => p.reason.includes("heartbeat"))
  ) {
    lines.push(`No integration heartbeat for ${facts.health.heartbeat_hours_ago} h`);
  }
  if (facts.health.open_tickets > 0 && lines.length < 6) {
    lines.push(`${facts.health.open_tickets} open support tickets in total`);
  }
  return lines.length > 0
    ? lines.slice(0, 6)
    : [`Technical health score ${facts.health.score} (${facts.health.status})`];
}

export function outreachTemplate(facts: OutreachFacts): Outreach {
  const issues = issueLines(facts);
  const body = [
    "Hello,",
    "",
    `I am reaching out about the technical health of your ${facts.account.name} workspace. A few issues have been open longer than we would like, and I want to make sure they get the attention they need:`,
    "",
    ...issues.map((i) => `- ${i}`),
    "",
    "Our team is working through them. Could we set up a short technical review call this week to go over each one, agree on priorities and confirm your integration is healthy?",
    "",
    "Best regards,",
  ].join("\n");
  return {
    subject: `${facts.account.name}: technical review of open issues`,
    body,
    key_issues: issues,
  };
}
