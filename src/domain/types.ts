/**
 * Business records shared by every layer. JSON/wire names are snake_case,
 * so the record types use snake_case fields too: they are what the records port returns and stores.
 */

export const ACCOUNT_STATUSES = ["Onboarding", "Active", "Inactive", "Churned"] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

export const TIERS = ["vip", "high_value", "standard", "low_value"] as const;
export type Tier = (typeof TIERS)[number];

export const USAGE_TRENDS = ["growing", "stable", "declining", "inactive"] as const;
export type UsageTrend = (typeof USAGE_TRENDS)[number];

export const PAYMENT_STATUSES = ["current", "overdue_30", "overdue_60", "overdue_90_plus"] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const ENGAGEMENT_LEVELS = ["high", "medium", "low"] as const;
export type EngagementLevel = (typeof ENGAGEMENT_LEVELS)[number];

export const TICKET_SENTIMENTS = ["positive", "neutral", "negative", "critical"] as const;
export type TicketSentiment = (typeof TICKET_SENTIMENTS)[number];

export const RAGS = ["GREEN", "AMBER", "RED"] as const;
export type Rag = (typeof RAGS)[number];

/** TAM writes its status in title case (Notion select options Green/Amber/Red). */
export const TAM_STATUSES = ["Green", "Amber", "Red"] as const;
export type TamStatus = (typeof TAM_STATUSES)[number];

export const CHURN_LEVELS = ["low", "medium", "high", "critical"] as const;
export type ChurnLevel = (typeof CHURN_LEVELS)[number];

/** One account as the records port returns it. Every signal may be missing (null), as in real data. */
export interface Account {
  id: string;
  name: string;
  status: AccountStatus;
  tier: Tier;
  arr: number | null;
  csm_owner: string | null; // email
  account_executive: string | null; // email
  slack_channel: string | null;
  signup_date: string | null; // ISO date
  renewal_date: string | null;
  last_login: string | null;
  last_interaction: string | null;
  last_heartbeat: string | null;
  seats_purchased: number | null;
  seats_used: number | null;
  feature_adoption: number | null; // 0..1
  nps: number | null; // 0..10
  nps_date: string | null;
  escalations_90d: number | null;
  features_used: string[];
  onboarding_steps_done: string[];
  onboarding_last_step_at: string | null;
  usage_trend: UsageTrend | null;
  payment_status: PaymentStatus | null;
  stakeholder_engagement: EngagementLevel | null;
  ticket_sentiment: TicketSentiment | null;
  champion: string | null;
  modules: string[]; // modules and integrations the account has bought
  api_calls_30d: number | null;
  // written by the CSM agent
  csm_health_score: number | null;
  csm_health_rag: Rag | null;
  churn_risk: ChurnLevel | null;
  csm_last_scan: string | null;
  // written by the TAM agent
  health_score: number | null;
  health_status: TamStatus | null;
  last_health_scan: string | null;
}

export const TICKET_PRIORITIES = ["P1", "P2", "P3", "P4"] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const TICKET_STATUSES = ["Open", "Pending", "Resolved", "Closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface Ticket {
  id: string;
  account_id: string;
  subject: string;
  priority: TicketPriority;
  status: TicketStatus;
  opened: string; // ISO timestamp
}

/** The statuses that count as open (isOpenTicket). */
export const OPEN_TICKET_STATUSES: readonly TicketStatus[] = ["Open", "Pending"];
export const isOpenTicket = (t: Ticket): boolean => OPEN_TICKET_STATUSES.includes(t.status);

/** One row of health history: the CSM score of one account at one scan. */
export interface HealthPoint {
  account_id: string;
  at: string; // ISO timestamp
  score: number;
  rag: Rag;
  run_id: string | null;
}

/** Weekly product usage of one account (demo data and usage-drop triggers). */
export interface UsagePoint {
  account_id: string;
  week_start: string; // ISO date (Monday)
  active_users: number;
  events: number;
}
