/** Accounts for the queue tests, without the runtime (the pure rule tests import only this). */
import type { Account } from "../../src/domain/types.js";

/** A Wednesday, so "this week" started two days earlier. */
export const NOW = "2026-03-18T10:00:00.000Z";
export const MAYA = "maya.chen@example.com";
export const DAVID = "david.okafor@example.com";

/** A healthy, settled account that no generation rule picks up. */
export function account(id: string, over: Partial<Account> = {}): Account {
  return {
    id,
    name: `Customer ${id}`,
    status: "Active",
    tier: "standard",
    arr: 20_000,
    csm_owner: MAYA,
    account_executive: "alex.morgan@example.com",
    slack_channel: null,
    signup_date: "2024-01-10",
    renewal_date: "2027-01-10",
    last_login: "2026-03-17T09:00:00.000Z",
    last_interaction: "2026-03-10T09:00:00.000Z",
    last_heartbeat: null,
    seats_purchased: 20,
    seats_used: 15,
    feature_adoption: 0.7,
    nps: 9,
    nps_date: "2026-01-05",
    escalations_90d: 0,
    features_used: ["dashboards", "reports"],
    onboarding_steps_done: ["kickoff", "sso_configured", "data_imported", "first_dashboard", "team_invited"],
    onboarding_last_step_at: "2024-02-20T10:00:00.000Z",
    usage_trend: "stable",
    payment_status: "current",
    stakeholder_engagement: "high",
    ticket_sentiment: "positive",
    champion: "Jo Lee",
    modules: [],
    api_calls_30d: 1000,
    csm_health_score: 82,
    csm_health_rag: "GREEN",
    churn_risk: "low",
    csm_last_scan: "2026-03-18T07:00:00.000Z",
    health_score: null,
    health_status: null,
    last_health_scan: null,
    ...over,
  };
}
