/**
 * The one place that knows the Notion property names of the system of record and which record field each
 * holds. notion-setup creates exactly these properties, doctor checks them, and the store reads and writes
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
  USAGE_TRENDS,
} from "../../../domain/types.js";
import { OPPORTUNITY_STATUSES, OPPORTUNITY_TYPES } from "../port.js";

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
  /** Optional: notion-setup creates it, but a data source without it reads it as empty and doctor accepts it. */
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
  // Signals beyond the core account schema (the demo book fills them, some agents read them): optional.
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

/** `status` is accepted where we expect `select` (Notion's Status type). */
export const typeMatches = (expected: PropType, actual: string): boolean =>
  actual === expected || (expected === "select" && actual === "status");
