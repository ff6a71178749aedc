/**
 * LLM prompts of the Customer Success agent and their zod output schemas. The model only narrates:
 * levels, scores and drivers are decided by the domain rules and handed over as facts. Each prompt has a
 * deterministic template used when no model is configured or its answer is unusable.
 */
import { z } from "zod";
import { daysUntil } from "../../domain/calendar.js";
import type { CsmSignal } from "../../domain/health/csm-signals.js";
import type { Account, ChurnLevel, Rag } from "../../domain/types.js";
import type { HealthDetail } from "./scoring.js";

export const SIGNAL_LABELS: Readonly<Record<CsmSignal, string>> = Object.freeze({
  feature_adoption: "feature adoption",
  usage_trend: "usage trend",
  days_since_login: "days since last login",
  days_since_interaction: "days since last meaningful interaction",
  payment_status: "payment status",
  support: "support tickets",
  stakeholder_engagement: "stakeholder engagement",
  nps: "NPS",
  days_to_renewal: "days to renewal",
  seat_utilization: "seat utilization",
  escalations_90d: "recent escalations",
});

/** What the narrative may talk about; every number it writes must appear here. */
export interface ChurnFacts {
  account: {
    id: string;
    name: string;
    tier: string;
    arr: number | null;
    renewal_date: string | null;
    days_to_renewal: number | null;
  };
  health: {
    score: number;
    rag: Rag;
    previous_score: number | null;
    change_since_previous: number | null;
    trend: string;
    slope_30d: number | null;
    data_completeness: number;
    confidence: string;
  };
  churn: {
    level: ChurnLevel;
    contract_proximity: boolean;
    behavioural: boolean;
    reasons: string[];
    alert_reasons: string[];
  };
  top_drivers: Array<{
    signal: CsmSignal;
    label: string;
    value: number | string;
    sub_score: number;
    points_lost: number;
  }>;
  open_tickets: number;
  tam_escalations: number;
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

export function churnFacts(
  account: Pick<Account, "id" | "name" | "tier" | "arr" | "renewal_date">,
  score: number,
  rag: Rag,
  detail: HealthDetail,
  now: Date,
): ChurnFacts {
  const drivers = detail.top_drivers.map((signal) => {
    const entry = detail.breakdown.find((b) => b.signal === signal);
    return {
      signal,
      label: SIGNAL_LABELS[signal],
      value: entry?.value ?? "unknown",
      sub_score: entry?.sub_score ?? 0,
      points_lost: entry ? round1(entry.max_points - entry.points) : 0,
    };
  });
  return {
    account: {
      id: account.id,
      name: account.name,
      tier: account.tier,
      arr: account.arr,
      renewal_date: account.renewal_date,
      days_to_renewal: daysUntil(account.renewal_date, now),
    },
    health: {
      score,
      rag,
      previous_score: detail.previous_score,
      change_since_previous: detail.trend?.change_since_previous ?? null,
      trend: detail.trend?.direction ?? "new",
      slope_30d: detail.trend?.slope_30d ?? null,
      data_completeness: detail.data_completeness,
      confidence: detail.confidence,
    },
    churn: {
      level: detail.churn.level,
      contract_proximity: detail.churn.contract_proximity,
      behavioural: detail.churn.behavioural,
      reasons: detail.churn.reasons,
      alert_reasons: detail.churn.alert_reasons,
    },
    top_drivers: drivers,
    open_tickets: detail.open_tickets,
    tam_escalations: detail.tam_escalations,
  };
}

export const ChurnNarrativeSchema = z.object({
  risk_narrative: z
    .string()
    .min(20)
    .max(1500)
    .describe("2-3 sentences for the CSM: why this account is at risk, citing the drivers"),
  recommended_actions: z
    .array(z.string().min(3).max(300))
    .min(1)
    .max(5)
    .describe("concrete next steps for the CSM, most important first"),
});
export type ChurnNarrative = z.infer<typeof ChurnNarrativeSchema>;

export const CHURN_SYSTEM_PROMPT = [
  "You are a senior customer success manager explaining an account's churn risk to its CSM.",
  "The health score, RAG status, churn level and drivers were computed by deterministic rules; do not",
  "re-judge them. Write risk_narrative in 2-3 sentences that say why the account is at risk, citing the",
  "top drivers and the churn reasons. Write 2-4 recommended_actions the CSM can do this week.",
  "Use only numbers that appear in the data, written as they appear there; never compute new figures",
  "(no differences, sums or percentages that are not given). Do not invent names, dates or events.",
].join(" ");

export function churnUserPrompt(facts: ChurnFacts): string {
  return `Account data (JSON):\n${JSON.stringify(facts, null, 2)}`;
}

const money = (n: number): string => `$${Math.round(n).toLocaleString("en-US")}`;

/** How a driver reads in a sentence; only numbers present in the facts. */
function driverPhrase(d: ChurnFacts["top_drivers"][number], openTickets: number): string {
  const v = d.value;
  switch (d.signal) {
    case "feature_adoption":
      return typeof v === "number" ? `feature adoption at ${Math.round(v * 100)}%` : "low feature adoption";
    case "usage_trend":
      return `usage ${v}`;
    case "days_since_login":
      return `no login for ${v} days`;
    case "days_since_interaction":
      return `no meaningful interaction for ${v} days`;
    case "payment_status":
      return `payment status ${String(v).replaceAll("_", " ")}`;
    case "support": {
      const sentiment = String(v).split(",")[0];
      return `${sentiment} ticket sentiment with ${openTickets} open tickets`;
    }
    case "stakeholder_engagement":
      return `${v} stakeholder engagement`;
    case "nps":
      return `an NPS of ${v}`;
    case "days_to_renewal":
      return typeof v === "number" && v < 0 ? `a renewal date ${-v} days past` : `renewal in ${v} days`;
    case "seat_utilization":
      return typeof v === "number" ? `${Math.round(v * 100)}% of seats in use` : "low seat utilization";
    case "escalations_90d":
      return `${v} escalations in the last 90 days`;
  }
}

const ACTIONS: Readonly<Record<CsmSignal, string>> = Object.freeze({
  feature_adoption: "Run an adoption session on the features the team has not started using.",
  usage_trend: "Review product usage with the champion and agree on a usage plan.",
  days_since_login: "Re-engage inactive users through the champion and offer a refresher session.",
  days_since_interaction: "Book a check-in call with the main stakeholder this week.",
  payment_status: "Coordinate with finance on the overdue invoice before the next customer touchpoint.",
  support: "Review the open tickets with support and share a resolution plan with the customer.",
  stakeholder_engagement: "Re-establish executive sponsorship with a business review meeting.",
  nps: "Follow up on the NPS feedback and close the loop on the concerns raised.",
  days_to_renewal: "Start the renewal conversation and confirm the decision process and timeline.",
  seat_utilization: "Plan a seat activation push with the admin, or discuss right-sizing.",
  escalations_90d: "Hold an escalation review with the TAM and share the remediation plan.",
});

const joinList = (items: string[]): string =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

/** The deterministic narrative: grounded by construction (tested against the number validator). */
export function churnNarrativeTemplate(facts: ChurnFacts): ChurnNarrative {
  const { account, health, churn } = facts;
  const change =
    health.change_since_previous === null || health.change_since_previous === 0
      ? ""
      : `, ${health.change_since_previous < 0 ? "down" : "up"} ${Math.abs(health.change_since_previous)} points since the previous scan`;
  const falling = health.trend === "falling_fast" ? " and falling fast" : "";
  const arr = account.arr === null ? "" : ` (ARR ${money(account.arr)})`;
  const sentences = [
    `${account.name}${arr} scores ${health.score} (${health.rag})${change}${falling}, with ${churn.level} churn risk.`,
  ];
  const why = churn.reasons.filter((r) => !r.startsWith("GREEN health and no churn trigger"));
  if (why.length > 0) sentences.push(`Why: ${why.join("; ")}.`);
  if (facts.top_drivers.length > 0) {
    sentences.push(
      `The biggest drags on the score are ${joinList(facts.top_drivers.map((d) => driverPhrase(d, facts.open_tickets)))}.`,
    );
  }
  const actions = facts.top_drivers.map((d) => ACTIONS[d.signal]);
  if (churn.contract_proximity) actions.unshift("Prepare a renewal risk plan with the account executive.");
  if (actions.length === 0) actions.push("Review the account's health breakdown with the customer.");
  return { risk_narrative: sentences.join(" "), recommended_actions: [...new Set(actions)].slice(0, 4) };
}
