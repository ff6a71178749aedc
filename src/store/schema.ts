import type { ColumnType, Generated } from "kysely";

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

/** Customer Success health scan: one row per scan run, the instant it judges by (migration 0009). */
export interface CsmScansTable {
  run_id: string;
  scan_at: string;
  /** Last account id (in id order) whose records write persistScores has handled; "" before any (0011). */
  records_through: ColumnType<string, string | undefined, string>;
}

/** Customer Success health scan: what loadAccounts read per account (migration 0009). */
export interface CsmScanInputsTable {
  run_id: string;
  account_id: string;
  /** The account as loaded (JSON); null when the record could not be read. */
  account: string | null;
  open_tickets: Generated<number>;
  unreadable: string | null;
}

/** Customer Success health scan: one small row per account per scan run (migration 0009). */
export interface CsmScanResultsTable {
  run_id: string;
  account_id: string;
  account_name: string;
  arr: number | null;
  status: string;
  skip_reason: string | null;
  score: number | null;
  rag: string | null;
  churn_level: string | null;
  severity: number | null;
  previous_score: number | null;
  previous_rag: string | null;
  trend: string | null;
  top_driver: string | null;
  should_alert: Generated<number>;
  changed: Generated<number>;
  records_status: string | null;
  alert_status: string | null;
  alert_reason: string | null;
  alert_key: string | null;
  alert_rank: number | null;
  alert_result: string | null;
}

export interface CsmAlertStateTable {
  account_id: string;
  last_level: string | null;
  last_alerted_at: string | null;
  last_key: string | null;
  last_run_id: string | null;
  deferred_level: string | null;
  deferred_on: string | null;
  updated_at: string;
  /** JSON array of the last alert's channels that failed; null when none is left (migration 0012). */
  failed_channels: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CsmEscalationsTable {
  event_id: string;
  account_id: string;
  at: string;
  tam_status: string;
  tam_score: number;
  run_id: string | null;
}

export interface SchedulerJobsTable {
  name: string;
  last_scheduled_at: string;
  last_started_at: string | null;
  last_finished_at: string | null;
  last_error: string | null;
}

/** The page the Notion adapter made for an idempotency key (migration 0004). */
export interface NotionPagesTable {
  idempotency_key: string;
  kind: string;
  page_id: string | null;
  appended: number;
  total: number;
  state: string;
  record: string | null;
  created_at: string;
  updated_at: string;
  /** When a pages.create for the key was last sent (migration 0014). */
  create_sent_at: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A Notion write waiting to be replayed (migration 0004). */
export interface NotionOutboxTable {
  id: Generated<number>;
  op: string;
  target: string;
  idempotency_key: string;
  payload: string;
  state: string;
  attempts: number;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** CSM task queue (migration 0003): a task type, synced from the code catalogue in src/queue/. */
export interface CsmTaskTypesTable {
  id: Generated<number>;
  slug: string;
  name: string;
  description: string;
  category: string;
  default_priority: string;
  sla_hours: number;
  playbook_id: number | null;
  required_outcomes: string;
  quality_gates: string;
  auto_trigger_conditions: string;
  is_active: number;
  created_at: string;
  updated_at: string;
}

/** A call playbook with its objection handlers, synced from the catalogue. */
export interface CsmPlaybooksTable {
  id: Generated<number>;
  task_type_id: number | null;
  task_type_slug: string;
  name: string;
  version: string;
  objective: string;
  context_fields: string;
  opening_script: string;
  key_questions: string;
  objection_handlers: string;
  success_criteria: string;
  quality_gates: string;
  estimated_duration_minutes: number;
  is_active: number;
  updated_at: string;
}

/** A CSM task plus the customer's priority inputs and the static part of its score. */
export interface CsmTasksTable {
  id: Generated<number>;
  customer_id: string;
  customer_name: string;
  csm_id: string;
  task_type: string;
  task_type_id: number;
  playbook_id: number | null;
  priority: string;
  status: string;
  due_date: string;
  snooze_until: string | null;
  outcome_type: string | null;
  outcome_notes: string | null;
  sentiment: string | null;
  next_action: string | null;
  next_action_date: string | null;
  quality_gates_completed: string;
  metadata: string;
  source: string;
  trigger_key: string | null;
  arr: number | null;
  tier: string | null;
  churn_risk: string | null;
  renewal_date: string | null;
  static_score: number;
  /** The raw priority score at floor_at, a lower bound of it from then on (migration 0010; epoch: unset). */
  floor_score: Generated<number>;
  floor_at: Generated<string>;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  completed_at: string | null;
}

/** A task outcome, one per lifecycle action that records one. */
export interface CsmTaskOutcomesTable {
  id: Generated<number>;
  task_id: number;
  action: string;
  outcome_type: string;
  objective_achieved: string | null;
  blocker_reason: string | null;
  sentiment: string | null;
  next_action_required: number;
  next_action_date: string | null;
  next_action_notes: string | null;
  quality_gate_responses: string;
  notes: string;
  channel: string | null;
  csm_id: string;
  customer_id: string;
  task_type: string;
  arr: number | null;
  created_at: string;
  metadata: string;
}

/** A playbook template (migration 0005); definition is the JSON of src/playbooks/schema/definition.ts. */
export interface PlaybooksTable {
  id: string;
  name: string;
  status: string;
  priority: number;
  definition: string;
  library_key: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  published_at: string | null;
}

/** One run of a playbook for one customer, with the template snapshot it started from. */
export interface PlaybookExecutionsTable {
  id: string;
  playbook_id: string;
  account_id: string;
  status: string;
  snapshot: string;
  trigger_type: string;
  trigger: string;
  priority: number;
  current_step_id: string | null;
  wake_at: string | null;
  flags: string;
  contact_email: string | null;
  paused_status: string | null;
  preempted_by: string | null;
  end_reason: string | null;
  account_snapshot: string;
  started_by: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface PlaybookStepExecutionsTable {
  execution_id: string;
  step_id: string;
  position: number;
  step_type: string;
  status: string;
  attempts: number;
  started_at: string | null;
  finished_at: string | null;
  wake_at: string | null;
  output: string | null;
  error: string | null;
  approval_id: string | null;
  branch: string | null;
}

/** A playbook step waiting for (or decided by) a person. */
export interface ApprovalsTable {
  id: string;
  execution_id: string;
  step_id: string;
  playbook_id: string;
  account_id: string;
  status: string;
  request: string;
  decision: string | null;
  edits: string | null;
  comment: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
}

/** A trigger that fired for a playbook and a customer (started, suppressed by priority, or a duplicate). */
export interface PlaybookTriggerFiresTable {
  playbook_id: string;
  account_id: string;
  fire_key: string;
  outcome: string;
  execution_id: string | null;
  blocked_by: string | null;
  at: string;
}

/** The last value the playbook tick saw of a watched account field (migration 0008). */
export interface PlaybookFieldWatchTable {
  account_id: string;
  field: string;
  /** JSON of the value; null when the field was empty. */
  value: string | null;
  seen_at: string;
}

/** One generate_qbr run's facts, sections, body and page (migration 0006). JSON columns hold text. */
export interface QbrDraftsTable {
  run_id: string;
  account_id: string;
  period: string;
  trigger: string;
  facts: string;
  sections: string | null;
  generated_by: string | null;
  fallback_reason: string | null;
  body: string | null;
  qbr_id: string | null;
  qbr_url: string | null;
  created_at: string;
  updated_at: string;
}

/** TAM health scan: one row per account per scan run (migration 0007). */
export interface TamScanResultsTable {
  run_id: string;
  account_id: string;
  scan_at: string;
  account_name: string;
  arr: number | null;
  status: string;
  skip_reason: string | null;
  score: number | null;
  health_status: string | null;
  previous_status: string | null;
  open_tickets: Generated<number>;
  aged_p1_p2: Generated<number>;
  detail: string | null;
  escalate: Generated<number>;
  records_status: string | null;
  escalation_status: string | null;
  escalation_reason: string | null;
  escalation_key: string | null;
  escalation_rank: number | null;
  escalation_result: string | null;
}

/** Per account, the last TAM escalation (migration 0007). */
export interface TamEscalationStateTable {
  account_id: string;
  last_status: string;
  last_score: number;
  last_escalated_at: string;
  last_key: string;
  last_run_id: string | null;
  updated_at: string;
  /** JSON array of the last escalation's channels that failed; null when none is left (migration 0013). */
  failed_channels: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Expansion scan: one row per account and opportunity type per scan run (migration 0007). */
export interface ExpansionScanCandidatesTable {
  run_id: string;
  account_id: string;
  opportunity_type: string;
  scan_at: string;
  account_name: string;
  csm_owner: string | null;
  candidate: string;
  estimated_arr_impact: number;
  confidence: number;
  rank_value: number;
  status: string;
  reason: string | null;
  talk_track: string | null;
  generated_by: string | null;
  opportunity_id: string | null;
  handoff: string | null;
  handoff_rank: number | null;
  handoff_event_id: string | null;
  handoff_run_id: string | null;
}

/** Expansion scan: who narrated an account's candidates, and what the model proposed without evidence. */
export interface ExpansionScanNarrationsTable {
  run_id: string;
  account_id: string;
  scan_at: string;
  generated_by: string;
  fallback_reason: string | null;
  dropped: Generated<number>;
  unsupported_dropped: Generated<number>;
  unsupported: string | null;
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
  csm_task_types: CsmTaskTypesTable;
  csm_playbooks: CsmPlaybooksTable;
  csm_tasks: CsmTasksTable;
  csm_task_outcomes: CsmTaskOutcomesTable;
  csm_scans: CsmScansTable;
  csm_scan_inputs: CsmScanInputsTable;
  csm_scan_results: CsmScanResultsTable;
  csm_alert_state: CsmAlertStateTable;
  csm_escalations: CsmEscalationsTable;
  scheduler_jobs: SchedulerJobsTable;
  notion_pages: NotionPagesTable;
  notion_outbox: NotionOutboxTable;
  playbooks: PlaybooksTable;
  playbook_executions: PlaybookExecutionsTable;
  playbook_step_executions: PlaybookStepExecutionsTable;
  approvals: ApprovalsTable;
  playbook_trigger_fires: PlaybookTriggerFiresTable;
  playbook_field_watch: PlaybookFieldWatchTable;
  qbr_drafts: QbrDraftsTable;
  tam_scan_results: TamScanResultsTable;
  tam_escalation_state: TamEscalationStateTable;
  expansion_scan_candidates: ExpansionScanCandidatesTable;
  expansion_scan_narrations: ExpansionScanNarrationsTable;
}
