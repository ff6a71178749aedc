/**
 * Pages and records, per data source: an account, ticket, QBR or expansion opportunity read from its page's
 * properties, and the properties that write one.
 */
import {
  ACCOUNT_STATUSES,
  type Account,
  TIERS,
  type Ticket,
  type TicketPriority,
  type TicketStatus,
} from "../../../domain/types.js";
import type {
  AccountPatch,
  ExpansionInput,
  ExpansionRecord,
  OpportunityStatus,
  OpportunityType,
  QbrInput,
  QbrRecord,
} from "../port.js";
import {
  ACCOUNT_PROPERTIES,
  type ActualSchema,
  EXPANSION_PROPERTIES,
  QBR_PROPERTIES,
  TICKET_PROPERTIES,
} from "./properties.js";
import {
  fieldReader,
  type Mapped,
  mapped,
  normalizeDate,
  type PageLike,
  type Read,
  readValue,
  writeFields,
} from "./property-values.js";

export function accountFromPage(page: PageLike): Mapped<Account> {
  const problems: string[] = [];
  const values: Record<string, Read> = {};
  for (const [field, [name, spec]] of Object.entries(ACCOUNT_PROPERTIES)) {
    values[field] = readValue(name, spec, page.properties, problems);
  }
  if (problems.length === 0) {
    // Status and tier drive every agent's filters; other categories are checked by the domain rules.
    if (!values.name) problems.push(`property "Name" is empty`);
    if (!(ACCOUNT_STATUSES as readonly unknown[]).includes(values.status)) {
      problems.push(`Status "${String(values.status)}" is not one of ${ACCOUNT_STATUSES.join(", ")}`);
    }
    if (!(TIERS as readonly unknown[]).includes(values.tier)) {
      problems.push(`Tier "${String(values.tier)}" is not one of ${TIERS.join(", ")}`);
    }
  }
  return mapped(problems, { id: page.id, ...values } as unknown as Account);
}

/** All account properties (loading a book into Notion: tests, benches, migrations). */
export function accountToProperties(account: Account, actual?: ActualSchema) {
  const { id: _id, ...fields } = account;
  return writeFields(ACCOUNT_PROPERTIES, fields, actual);
}

/** The properties of the fields an agent writes back. */
export function accountPatchToProperties(patch: AccountPatch, actual?: ActualSchema) {
  return writeFields(ACCOUNT_PROPERTIES, patch, actual);
}

export function ticketFromPage(page: PageLike): Mapped<Ticket> {
  const problems: string[] = [];
  const read = fieldReader(TICKET_PROPERTIES, page.properties, problems);
  const accounts = read("account_id") as string[];
  const ticket = {
    id: page.id,
    account_id: accounts[0] ?? "",
    subject: (read("subject") as string | null) ?? "",
    priority: read("priority") as TicketPriority,
    status: read("status") as TicketStatus,
    opened: (read("opened") as string | null) ?? "",
  };
  if (problems.length === 0 && accounts.length === 0) problems.push(`property "Account" is empty`);
  return mapped(problems, ticket);
}

export function ticketToProperties(ticket: Omit<Ticket, "id">, actual?: ActualSchema) {
  return writeFields(TICKET_PROPERTIES, { ...ticket, account_id: [ticket.account_id] }, actual);
}

export function qbrFromPage(page: PageLike): Mapped<QbrRecord> {
  const problems: string[] = [];
  const read = fieldReader(QBR_PROPERTIES, page.properties, problems);
  const record: QbrRecord = {
    id: page.id,
    account_id: (read("account_id") as string[])[0] ?? "",
    name: (read("name") as string | null) ?? "",
    quarter: (read("quarter") as string | null) ?? "",
    health_score: read("health_score") as number | null,
    status: ((read("status") as string | null) ?? "Draft") as QbrRecord["status"],
    trigger: ((read("trigger") as string | null) ?? "manual") as QbrRecord["trigger"],
    url: page.url ?? null,
    created_at: normalizeDate(page.created_time) ?? "",
    updated_at: normalizeDate(page.last_edited_time) ?? "",
  };
  return mapped(problems, record);
}

export function qbrToProperties(input: QbrInput, actual?: ActualSchema) {
  return writeFields(
    QBR_PROPERTIES,
    {
      name: input.name,
      account_id: [input.account_id],
      quarter: input.quarter,
      health_score: input.health_score,
      // A (re)written QBR is a draft until a person marks it Ready, as in the local store.
      status: "Draft",
      trigger: input.trigger,
    },
    actual,
  );
}

export function expansionFromPage(page: PageLike): Mapped<ExpansionRecord> {
  const problems: string[] = [];
  const read = fieldReader(EXPANSION_PROPERTIES, page.properties, problems);
  const record: ExpansionRecord = {
    id: page.id,
    account_id: (read("account_id") as string[])[0] ?? "",
    name: (read("name") as string | null) ?? "",
    type: read("type") as OpportunityType,
    estimated_arr_impact: (read("estimated_arr_impact") as number | null) ?? 0,
    confidence: (read("confidence") as number | null) ?? 0,
    evidence: (read("evidence") as string | null) ?? "",
    talk_track: (read("talk_track") as string | null) ?? "",
    status: ((read("status") as string | null) ?? "New") as OpportunityStatus,
    created_at: normalizeDate(page.created_time) ?? "",
    updated_at: normalizeDate(page.last_edited_time) ?? "",
  };
  return mapped(problems, record);
}

export function expansionToProperties(input: ExpansionInput, actual?: ActualSchema) {
  return writeFields(
    EXPANSION_PROPERTIES,
    { ...input, account_id: [input.account_id], status: "New" },
    actual,
  );
}

export function expansionStatusToProperties(status: OpportunityStatus, actual?: ActualSchema) {
  return writeFields(EXPANSION_PROPERTIES, { status }, actual);
}
