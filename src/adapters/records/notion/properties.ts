/**
 * The one place that knows the Notion property names (ARCHITECTURE §5) and how each maps to our records.
 * notion-setup creates exactly these properties, doctor checks them, and the store reads and writes
 * through them. A property that is missing or of another type is reported by name, never guessed.
 */
import {
  ACCOUNT_STATUSES,
  type Account,
  CHURN_LEVELS,
  ENGAGEMENT_LEVELS,
  PAYMENT_STATUSES,
  RAGS,
  TAM_STATUSES,
  TICKET_PRIORITIES,
  TICKET_SENTIMENTS,
  TICKET_STATUSES,
  TIERS,
  type Ticket,
  type TicketPriority,
  type TicketStatus,
  USAGE_TRENDS,
} from "../../../domain/types.js";
import {
  type AccountPatch,
  type ExpansionInput,
  type ExpansionRecord,
  OPPORTUNITY_STATUSES,
  OPPORTUNITY_TYPES,
  type OpportunityStatus,
  type OpportunityType,
  type QbrInput,
  type QbrRecord,
} from "../port.js";
import { ARRAY_MAX_ITEMS, plainText, richText } from "./rich-text.js";

export type PropType =
  | "title"
  | "rich_text"
  | "number"
  | "select"
  | "multi_select"
  | "date"
  | "email"
  | "relation";

export type DataSourceKey = "accounts" | "tickets" | "qbrs" | "expansion";

export interface PropSpec {
  type: PropType;
  /** Optional properties (beyond ARCHITECTURE §5) read as empty when the data source lacks them. */
  required: boolean;
  options?: readonly string[];
  /** For relations: the data source it points at. */
  relation?: DataSourceKey;
}

const req = (type: PropType, options?: readonly string[]): PropSpec => ({
  type,
  required: true,
  ...(options ? { options } : {}),
});
const opt = (type: PropType): PropSpec => ({ type, required: false });
const relationTo = (to: DataSourceKey): PropSpec => ({ type: "relation", required: true, relation: to });

type AccountField = Exclude<keyof Account, "id">;

/** Account field -> [Notion property, spec]. */
export const ACCOUNT_PROPERTIES: Readonly<Record<AccountField, readonly [string, PropSpec]>> = {
  name: ["Name", req("title")],
  status: ["Status", req("select", ACCOUNT_STATUSES)],
  tier: ["Tier", req("select", TIERS)],
  arr: ["ARR", req("number")],
  csm_owner: ["CSM Owner", req("email")],
  account_executive: ["Account Executive", req("email")],
  slack_channel: ["Slack Channel", req("rich_text")],
  signup_date: ["Signup Date", req("date")],
  renewal_date: ["Renewal Date", req("date")],
  last_login: ["Last Login", req("date")],
  last_interaction: ["Last Interaction", req("date")],
  last_heartbeat: ["Last Heartbeat", req("date")],
  seats_purchased: ["Seats Purchased", req("number")],
  seats_used: ["Seats Used", req("number")],
  feature_adoption: ["Feature Adoption", req("number")],
  nps: ["NPS", req("number")],
  escalations_90d: ["Escalations 90d", req("number")],
  features_used: ["Features Used", req("multi_select")],
  onboarding_steps_done: ["Onboarding Steps Done", req("multi_select")],
  usage_trend: ["Usage Trend", req("select", USAGE_TRENDS)],
  payment_status: ["Payment Status", req("select", PAYMENT_STATUSES)],
  stakeholder_engagement: ["Stakeholder Engagement", req("select", ENGAGEMENT_LEVELS)],
  ticket_sentiment: ["Ticket Sentiment", req("select", TICKET_SENTIMENTS)],
  csm_health_score: ["CSM Health Score", req("number")],
  csm_health_rag: ["CSM Health RAG", req("select", RAGS)],
  churn_risk: ["Churn Risk", req("select", CHURN_LEVELS)],
  csm_last_scan: ["CSM Last Scan", req("date")],
  health_score: ["Health Score", req("number")],
  health_status: ["Health Status", req("select", TAM_STATUSES)],
  last_health_scan: ["Last Health Scan", req("date")],
  // Signals the demo book and later agents use, not in ARCHITECTURE §5: optional.
  nps_date: ["NPS Date", opt("date")],
  onboarding_last_step_at: ["Onboarding Last Step", opt("date")],
  champion: ["Champion", opt("rich_text")],
  modules: ["Modules", opt("multi_select")],
  api_calls_30d: ["API Calls 30d", opt("number")],
};

export const TICKET_PROPERTIES = {
  subject: ["Subject", req("title")],
  account_id: ["Account", relationTo("accounts")],
  priority: ["Priority", req("select", TICKET_PRIORITIES)],
  status: ["Status", req("select", TICKET_STATUSES)],
  opened: ["Opened", req("date")],
} as const satisfies Record<string, readonly [string, PropSpec]>;

export const QBR_PROPERTIES = {
  name: ["Name", req("title")],
  account_id: ["Account", relationTo("accounts")],
  quarter: ["Quarter", req("rich_text")],
  health_score: ["Health Score", req("number")],
  status: ["Status", req("select", ["Draft", "Ready"])],
  trigger: ["Trigger", req("select", ["quarterly", "contract_proximity", "manual"])],
} as const satisfies Record<string, readonly [string, PropSpec]>;

export const EXPANSION_PROPERTIES = {
  name: ["Name", req("title")],
  account_id: ["Account", relationTo("accounts")],
  type: ["Type", req("select", OPPORTUNITY_TYPES)],
  estimated_arr_impact: ["Estimated ARR Impact", req("number")],
  confidence: ["Confidence", req("number")],
  evidence: ["Evidence", req("rich_text")],
  talk_track: ["Talk Track", req("rich_text")],
  status: ["Status", req("select", OPPORTUNITY_STATUSES)],
} as const satisfies Record<string, readonly [string, PropSpec]>;

export interface DataSourceSpec {
  title: string;
  env: string;
  properties: Record<string, PropSpec>;
}

const byName = (fields: Record<string, readonly [string, PropSpec]>): Record<string, PropSpec> =>
  Object.fromEntries(Object.values(fields).map(([name, spec]) => [name, spec]));

/** The four data sources: what notion-setup creates and doctor expects. */
export const DATA_SOURCES: Readonly<Record<DataSourceKey, DataSourceSpec>> = {
  accounts: { title: "Accounts", env: "NOTION_ACCOUNTS_DB", properties: byName(ACCOUNT_PROPERTIES) },
  tickets: { title: "Tickets", env: "NOTION_TICKETS_DB", properties: byName(TICKET_PROPERTIES) },
  qbrs: { title: "QBRs", env: "NOTION_QBRS_DB", properties: byName(QBR_PROPERTIES) },
  expansion: {
    title: "Expansion Opportunities",
    env: "NOTION_EXPANSION_DB",
    properties: byName(EXPANSION_PROPERTIES),
  },
};

/** Property name -> Notion type, as a data source reports it. */
export type ActualSchema = Record<string, string>;

/**
 * Problems of a data source's schema against what we expect: missing required properties and
 * properties of another type. `status` is accepted where we expect `select` (Notion's Status type).
 */
export function schemaProblems(key: DataSourceKey, actual: ActualSchema): string[] {
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(DATA_SOURCES[key].properties)) {
    const type = actual[name];
    if (type === undefined) {
      if (spec.required) problems.push(`property "${name}" is missing (expected ${spec.type})`);
    } else if (!typeMatches(spec.type, type)) {
      problems.push(`property "${name}" is ${type}, expected ${spec.type}`);
    }
  }
  return problems;
}

/**
 * Relations that point somewhere else than the data source we read as their target (e.g. Tickets'
 * Account relating to a copy of Accounts): every filter by account would then silently match nothing.
 * `relations` is property name -> target data source id as Notion reports it; `targets` the data source
 * ids we resolved. Targets not configured are not checked (their own env variable is reported instead).
 */
export function relationProblems(
  key: DataSourceKey,
  relations: Readonly<Record<string, string>>,
  targets: Partial<Record<DataSourceKey, string>>,
): string[] {
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(DATA_SOURCES[key].properties)) {
    if (spec.type !== "relation" || !spec.relation) continue;
    const actual = relations[name];
    const expected = targets[spec.relation];
    if (actual === undefined || expected === undefined) continue;
    if (actual.replace(/-/g, "") !== expected.replace(/-/g, "")) {
      const target = DATA_SOURCES[spec.relation];
      problems.push(
        `property "${name}" relates to data source ${actual}, expected ${target.title} (${expected}, ${target.env})`,
      );
    }
  }
  return problems;
}

const typeMatches = (expected: PropType, actual: string): boolean =>
  actual === expected || (expected === "select" && actual === "status");

// ---- values -----------------------------------------------------------------------------------------

/** A property value as a page carries it (only what we read). */
export interface PropertyValue {
  type: string;
  [key: string]: unknown;
}
export type PageProperties = Record<string, PropertyValue>;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Notion answers "2026-02-27T01:01:00.000+00:00" for what we wrote as "...Z": compare as instants. */
export function normalizeDate(value: string | null | undefined): string | null {
  if (!value) return null;
  if (DATE_ONLY.test(value)) return value;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : value;
}

type Read = string | number | string[] | null;

function readValue(name: string, spec: PropSpec, props: PageProperties, problems: string[]): Read {
  const p = props[name];
  if (p === undefined) {
    if (spec.required) problems.push(`property "${name}" is missing`);
    return spec.type === "multi_select" || spec.type === "relation" ? [] : null;
  }
  if (!typeMatches(spec.type, p.type)) {
    problems.push(`property "${name}" is ${p.type}, expected ${spec.type}`);
    return null;
  }
  switch (spec.type) {
    case "title":
    case "rich_text":
      return plainText(p[p.type] as Array<{ plain_text?: string }>) || null;
    case "number":
      return (p.number as number | null) ?? null;
    case "select":
      return ((p[p.type] as { name?: string } | null)?.name as string | undefined) ?? null;
    case "multi_select":
      return ((p.multi_select as Array<{ name: string }> | null) ?? []).map((o) => o.name);
    case "date":
      return normalizeDate((p.date as { start?: string } | null)?.start);
    case "email":
      return (p.email as string | null) ?? null;
    case "relation":
      return ((p.relation as Array<{ id: string }> | null) ?? []).map((r) => r.id);
  }
}

/** A request value for one property; `actualType` lets a select spec write to a Status-type property. */
export function writeValue(spec: PropSpec, value: unknown, actualType?: string): Record<string, unknown> {
  switch (spec.type) {
    case "title":
      return { title: richText(value as string | null).slice(0, ARRAY_MAX_ITEMS) };
    case "rich_text":
      return { rich_text: richText(value as string | null).slice(0, ARRAY_MAX_ITEMS) };
    case "number":
      return { number: (value as number | null) ?? null };
    case "select": {
      const v = value === null || value === undefined ? null : { name: String(value) };
      return actualType === "status" ? { status: v } : { select: v };
    }
    case "multi_select":
      return {
        multi_select: ((value as string[] | null) ?? []).slice(0, ARRAY_MAX_ITEMS).map((name) => ({ name })),
      };
    case "date":
      return { date: value ? { start: String(value) } : null };
    case "email":
      return { email: (value as string | null) ?? null };
    case "relation":
      return { relation: ((value as string[] | null) ?? []).map((id) => ({ id })) };
  }
}

function writeFields<F extends string>(
  fields: Readonly<Record<F, readonly [string, PropSpec]>>,
  values: Partial<Record<F, unknown>>,
  actual?: ActualSchema,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [field, value] of Object.entries(values) as Array<[F, unknown]>) {
    if (value === undefined) continue;
    const entry = fields[field];
    if (!entry) continue;
    const [name, spec] = entry;
    // An optional property the data source lacks is left out: Notion refuses unknown properties.
    if (actual && !spec.required && actual[name] === undefined) continue;
    out[name] = writeValue(spec, value, actual?.[name]);
  }
  return out;
}

export type Mapped<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** The page's parent: Notion pages in a data source carry `parent.data_source_id`. */
export interface PageLike {
  id: string;
  url?: string;
  created_time?: string;
  last_edited_time?: string;
  properties: PageProperties;
}

// ---- accounts ---------------------------------------------------------------------------------------

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
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { id: page.id, ...values } as unknown as Account };
}

/** All account properties (loading a book into Notion: tests, benches, migrations). */
export function accountToProperties(account: Account, actual?: ActualSchema) {
  const { id: _id, ...fields } = account;
  return writeFields(ACCOUNT_PROPERTIES, fields, actual);
}

export function accountPatchToProperties(patch: AccountPatch, actual?: ActualSchema) {
  return writeFields(ACCOUNT_PROPERTIES, patch, actual);
}

// ---- tickets ----------------------------------------------------------------------------------------

export function ticketFromPage(page: PageLike): Mapped<Ticket> {
  const problems: string[] = [];
  const read = <K extends keyof typeof TICKET_PROPERTIES>(k: K) =>
    readValue(TICKET_PROPERTIES[k][0], TICKET_PROPERTIES[k][1], page.properties, problems);
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
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: ticket };
}

export function ticketToProperties(ticket: Omit<Ticket, "id">, actual?: ActualSchema) {
  return writeFields(TICKET_PROPERTIES, { ...ticket, account_id: [ticket.account_id] }, actual);
}

// ---- QBRs -------------------------------------------------------------------------------------------

export function qbrFromPage(page: PageLike): Mapped<QbrRecord> {
  const problems: string[] = [];
  const read = <K extends keyof typeof QBR_PROPERTIES>(k: K) =>
    readValue(QBR_PROPERTIES[k][0], QBR_PROPERTIES[k][1], page.properties, problems);
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
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: record };
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

// ---- expansion opportunities ------------------------------------------------------------------------

export function expansionFromPage(page: PageLike): Mapped<ExpansionRecord> {
  const problems: string[] = [];
  const read = <K extends keyof typeof EXPANSION_PROPERTIES>(k: K) =>
    readValue(EXPANSION_PROPERTIES[k][0], EXPANSION_PROPERTIES[k][1], page.properties, problems);
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
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: record };
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

// ---- schema requests (notion-setup) -----------------------------------------------------------------

/** The property configuration to create a data source with; relations need the target's id. */
export function propertyConfig(
  key: DataSourceKey,
  dataSourceIds: Partial<Record<DataSourceKey, string>>,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of Object.entries(DATA_SOURCES[key].properties)) {
    switch (spec.type) {
      case "select":
      case "multi_select":
        out[name] = { [spec.type]: { options: (spec.options ?? []).map((o) => ({ name: o })) } };
        break;
      case "number":
        out[name] = { number: { format: "number" } };
        break;
      case "relation": {
        const target = dataSourceIds[spec.relation!];
        if (!target) throw new Error(`data source ${spec.relation} must exist before ${key}`);
        out[name] = { relation: { data_source_id: target, type: "single_property", single_property: {} } };
        break;
      }
      default:
        out[name] = { [spec.type]: {} };
    }
  }
  return out;
}
