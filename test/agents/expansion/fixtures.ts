/** Accounts, tickets and a scripted model for the TAM, Sales and expansion tests. */
import type { z } from "zod";
import type { GenerateRequest, GenerateResult, LlmPort } from "../../../src/adapters/llm/port.js";
import type { LocalRecords } from "../../../src/adapters/records/local.js";
import type { Account, Ticket } from "../../../src/domain/types.js";
import type { Runtime } from "../../../src/runtime.js";

export const NOW = "2026-03-11T14:00:00.000Z";
const hoursAgo = (h: number): string => new Date(Date.parse(NOW) - h * 3_600_000).toISOString();

export function makeAccount(overrides: Partial<Account> & { id: string }): Account {
  return {
    name: `Account ${overrides.id}`,
    status: "Active",
    tier: "standard",
    arr: 60_000,
    csm_owner: "maya.chen@example.com",
    account_executive: "alex.morgan@example.com",
    slack_channel: null,
    signup_date: "2024-01-15",
    renewal_date: "2027-01-15",
    last_login: hoursAgo(5),
    last_interaction: hoursAgo(100),
    last_heartbeat: null,
    seats_purchased: 100,
    seats_used: 60,
    feature_adoption: 0.6,
    nps: 8,
    nps_date: "2026-01-10",
    escalations_90d: 0,
    features_used: ["dashboards", "reports"],
    onboarding_steps_done: [],
    onboarding_last_step_at: null,
    usage_trend: "stable",
    payment_status: "current",
    stakeholder_engagement: "high",
    ticket_sentiment: "positive",
    champion: "Ana Silva",
    modules: [],
    api_calls_30d: 0,
    csm_health_score: null,
    csm_health_rag: null,
    churn_risk: null,
    csm_last_scan: null,
    health_score: null,
    health_status: null,
    last_health_scan: null,
    ...overrides,
  };
}

let ticketSeq = 0;
export function makeTicket(
  accountId: string,
  priority: Ticket["priority"],
  ageHours: number,
  status: Ticket["status"] = "Open",
): Ticket {
  ticketSeq++;
  return {
    id: `tkt_${accountId}_${ticketSeq}`,
    account_id: accountId,
    subject: `${priority} issue ${ticketSeq}`,
    priority,
    status,
    opened: hoursAgo(ageHours),
  };
}

export const hoursBeforeNow = hoursAgo;

export async function loadRecords(
  runtime: Runtime,
  accounts: Account[],
  tickets: Ticket[] = [],
): Promise<void> {
  await (runtime.records as LocalRecords).loadBook(accounts, tickets);
}

export const drafts = (runtime: Runtime) =>
  runtime.store.db.selectFrom("outbox_drafts").selectAll().orderBy("created_at").execute();

export const eventsOf = (runtime: Runtime, type: string) =>
  runtime.bus.replay({ since: 0, types: [type], limit: 1000 });

/**
 * A model that answers from a script. Like the real port, an answer that fails `validate` falls back to
 * the template (the real one retries once first), and the answer must match the schema.
 */
export class ScriptedLlm implements LlmPort {
  readonly kind = "openai" as const;
  readonly calls: Array<GenerateRequest<unknown>> = [];
  constructor(private readonly answer: (req: GenerateRequest<unknown>) => unknown) {}

  async generate<T>(req: GenerateRequest<T>): Promise<GenerateResult<T>> {
    this.calls.push(req as GenerateRequest<unknown>);
    const output = (req.schema as z.ZodType<T>).parse(this.answer(req as GenerateRequest<unknown>));
    const problem = req.validate?.(output) ?? null;
    if (problem) return { output: req.template(), generated_by: "template", fallback_reason: problem };
    return { output, generated_by: "llm" };
  }

  async ping() {
    return { ok: true, detail: "scripted" };
  }
}
