import type { Generated } from "kysely";

/** Table shapes of the service's own database. JSON columns hold text; repositories parse them. */
export interface EventsTable {
  seq: Generated<number>;
  id: string;
  type: string;
  at: string;
  source: string;
  account_id: string | null;
  run_id: string | null;
  payload: string;
}

export interface SubscriberCursorsTable {
  name: string;
  seq: number;
  updated_at: string;
}

export interface DeadLettersTable {
  id: Generated<number>;
  subscriber: string;
  event_seq: number;
  error: string;
  attempts: number;
  at: string;
}

export interface RunsTable {
  id: string;
  agent_id: string;
  task_type: string;
  status: string;
  input: string;
  result: string | null;
  error: string | null;
  parent_run_id: string | null;
  caller: string | null;
  progress: string | null;
  usage: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface ApiIdempotencyTable {
  caller: string;
  key: string;
  request_hash: string;
  state: string; // in_flight | done
  status_code: number | null;
  response: string | null;
  created_at: string;
}

export interface SideEffectsTable {
  key: string;
  kind: string;
  result: string | null;
  created_at: string;
}

export interface AccountsTable {
  id: string;
  name: string;
  status: string;
  tier: string;
  arr: number | null;
  renewal_date: string | null;
  data: string;
  updated_at: string;
}

export interface TicketsTable {
  id: string;
  account_id: string;
  status: string;
  data: string;
}

export interface UsageTable {
  account_id: string;
  week_start: string;
  active_users: number;
  events: number;
}

export interface HealthHistoryTable {
  id: Generated<number>;
  account_id: string;
  at: string;
  score: number;
  rag: string;
  run_id: string | null;
  detail: string | null;
}

export interface QbrsTable {
  id: string;
  account_id: string;
  period: string;
  data: string;
  body: string;
  created_at: string;
  updated_at: string;
}

export interface ExpansionOpportunitiesTable {
  id: string;
  account_id: string;
  type: string;
  status: string;
  data: string;
  created_at: string;
  updated_at: string;
}

export interface PagesTable {
  id: string;
  parent_id: string;
  title: string;
  body: string;
  updated_at: string;
}

export interface OutboxDraftsTable {
  id: string;
  idempotency_key: string;
  to_addr: string;
  cc: string | null;
  subject: string;
  text_body: string;
  html_body: string | null;
  account_id: string | null;
  run_id: string | null;
  kind: string | null;
  created_at: string;
}

export interface AlertsTable {
  id: string;
  idempotency_key: string;
  channel: string | null;
  severity: string;
  title: string;
  text: string;
  blocks: string | null;
  account_id: string | null;
  run_id: string | null;
  delivered: number;
  error: string | null;
  created_at: string;
}

export interface Database {
  events: EventsTable;
  subscriber_cursors: SubscriberCursorsTable;
  dead_letters: DeadLettersTable;
  runs: RunsTable;
  api_idempotency: ApiIdempotencyTable;
  side_effects: SideEffectsTable;
  accounts: AccountsTable;
  tickets: TicketsTable;
  usage: UsageTable;
  health_history: HealthHistoryTable;
  qbrs: QbrsTable;
  expansion_opportunities: ExpansionOpportunitiesTable;
  pages: PagesTable;
  outbox_drafts: OutboxDraftsTable;
  alerts: AlertsTable;
}
