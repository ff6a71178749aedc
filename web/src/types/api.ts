/**
 * The wire shapes the console reads, as the API answers them (snake_case, ISO-8601 UTC times). Written
 * from the API's responses; the console talks to the service only over HTTP and its WebSocket.
 */

export type Priority = "urgent" | "high" | "standard" | "low";
export type TaskStatus =
  | "pending"
  | "in_progress"
  | "completed"
  | "cancelled"
  | "blocked"
  | "snoozed"
  | "escalated";
export type Rag = "GREEN" | "AMBER" | "RED";
export type Sentiment = "positive" | "neutral" | "frustrated" | "angry";
export type ObjectiveAchieved = "yes" | "no" | "partial";
export type CompletionOutcomeType = "connected" | "voicemail" | "no_answer" | "completed";
export type Channel = "call" | "email" | "meeting" | "other";
export type TaskAction = "start" | "complete" | "snooze" | "reschedule" | "escalate" | "block" | "cancel";

export interface Session {
  key_name: string;
  scopes: string[];
  csm_id: string | null;
  via: "session" | "bearer";
  expires_at: string | null;
}

export interface TaskCustomer {
  arr: number | null;
  tier: string | null;
  churn_risk: string | null;
  renewal_date: string | null;
}

export interface CsmTask {
  id: number;
  customer_id: string;
  customer_name: string;
  csm_id: string;
  task_type: string;
  task_type_id: number;
  playbook_id: number | null;
  priority: Priority;
  priority_score: number;
  status: TaskStatus;
  due_date: string;
  days_overdue: number;
  snooze_until: string | null;
  outcome_type: string | null;
  sentiment: Sentiment | null;
  next_action: string | null;
  next_action_date: string | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  metadata: Record<string, unknown>;
  customer: TaskCustomer;
}

export interface QueueItem extends CsmTask {
  health: { score: number; rag: Rag; at: string } | null;
}

export interface QueuePage {
  items: QueueItem[];
  total: number;
  next_cursor: string | null;
  as_of: string;
}

export interface QueueSummary {
  open: number;
  due_today: number;
  overdue: number;
  urgent: number;
  snoozed: number;
  as_of: string;
  day_start: string;
  day_end: string;
}

export type GateType = "boolean" | "select" | "text" | "rating";

export interface QualityGate {
  id: string;
  question: string;
  gate_type: GateType;
  required: boolean;
  options: string[] | null;
  order: number;
}

export interface TaskType {
  id: number;
  name: string;
  slug: string;
  description: string;
  category: string;
  default_priority: Priority;
  sla_hours: number;
  quality_gates: QualityGate[];
}

export interface ObjectionHandler {
  id: string;
  trigger: string;
  response: string;
  order: number;
}

export interface CallPlaybook {
  id: number;
  name: string;
  objective: string;
  context_fields: string[];
  opening_script: string;
  key_questions: string[];
  objection_handlers: ObjectionHandler[];
  success_criteria: string;
  estimated_duration_minutes: number;
}

export type ScriptPart = { text: string } | { placeholder: string };
export interface FilledScript {
  text: string;
  parts: ScriptPart[];
  unfilled: string[];
}

export interface TaskOutcome {
  id: number;
  task_id: number;
  action: string;
  outcome_type: string;
  objective_achieved: ObjectiveAchieved | null;
  sentiment: Sentiment | null;
  notes: string;
  channel: Channel | null;
  next_action_notes: string | null;
  next_action_date: string | null;
  created_at: string;
  csm_id: string;
}

export interface Ticket {
  id: string;
  subject: string;
  priority: string;
  status: string;
  opened: string;
}

export interface DetailCustomer {
  id: string;
  name: string;
  status: string | null;
  tier: string | null;
  arr: number | null;
  renewal_date: string | null;
  csm_health_score: number | null;
  csm_health_rag: Rag | null;
  churn_risk: string | null;
  recent_tickets: Ticket[];
  context: Record<string, unknown>;
}

export interface TaskDetail {
  task: CsmTask;
  task_type: TaskType;
  playbook: CallPlaybook | null;
  customer: DetailCustomer | null;
  outcomes: TaskOutcome[];
  history: (TaskOutcome & { task_type: string })[];
  script: {
    objective: FilledScript;
    opening_script: FilledScript;
    success_criteria: FilledScript;
    objection_handlers: { id: string; trigger: string; response: FilledScript }[];
  } | null;
  allowed_actions: TaskAction[];
}

export interface HealthSignal {
  signal: string;
  value: unknown;
  sub_score: number;
  weight: number;
  points: number;
  max_points: number;
}

export interface AccountHealth {
  account: { id: string; name: string };
  health: {
    score: number | null;
    rag: Rag | null;
    churn_risk: string | null;
    last_scan: string | null;
    breakdown: { breakdown?: HealthSignal[]; missing_signals?: string[]; top_drivers?: string[] } | null;
    history: { at: string; score: number; rag: Rag }[];
  };
}

export interface Goal {
  actual: number;
  goal: number;
}
export interface Money {
  amount: number;
  count: number;
}

export interface WeeklyMetrics {
  onboarding_completions: Goal;
  at_risk_saves: Goal;
  health_improvements: number;
  renewals_secured: Money;
  expansion_pipeline: Money;
  activity: { calls: number; emails: number; tasks: number };
  objectives_achieved: { this_week: number; last_week: number };
  trend_vs_last_week: number | null;
}

export interface WeeklyOutcomes extends WeeklyMetrics {
  csm_id: string;
  week_start: string;
  week_end: string;
}

export interface TeamMember extends WeeklyMetrics {
  csm_id: string;
  open_tasks: number;
  overdue_tasks: number;
}

export interface TeamView {
  week_start: string;
  week_end: string;
  team: WeeklyMetrics & { members: number; open_tasks: number; overdue_tasks: number };
  members: TeamMember[];
}

export interface BusEvent {
  seq: number;
  id: string;
  type: string;
  at: string;
  account_id?: string | null;
  payload: Record<string, unknown>;
}

/** The API's error body. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}
