/**
 * What makes an account's signals unusable for the CSM health score: out-of-range or malformed values,
 * or no weighted signal at all. Such an account is skipped with the problems, never scored on guesses.
 */
import { tryParseIso } from "../calendar.js";
import {
  ENGAGEMENT_LEVELS,
  PAYMENT_STATUSES,
  TAM_STATUSES,
  TICKET_SENTIMENTS,
  USAGE_TRENDS,
} from "../types.js";
import {
  CSM_SIGNALS,
  type CsmSignal,
  type CsmSignalInputs,
  DATE_FIELDS,
  type ParsedDates,
} from "./csm-signals.js";
import { type CsmWeights, resolveWeights } from "./csm-weights.js";

export interface SignalProblem {
  field: string;
  problem: string;
}

export class UnusableSignalsError extends Error {
  override readonly name = "UnusableSignalsError";
  readonly accountId: string;
  readonly problems: SignalProblem[];

  constructor(accountId: string, problems: SignalProblem[]) {
    super(
      `account ${accountId} has unusable health signals: ${problems.map((p) => `${p.field}: ${p.problem}`).join("; ")}`,
    );
    this.accountId = accountId;
    this.problems = problems;
  }
}

function checkEnum(
  problems: SignalProblem[],
  field: string,
  value: unknown,
  allowed: readonly string[],
): void {
  if (value !== null && !allowed.includes(value as string)) {
    problems.push({ field, problem: `"${String(value)}" is not one of ${allowed.join(", ")}` });
  }
}

function checkNumber(
  problems: SignalProblem[],
  field: string,
  value: number | null,
  min: number,
  max = Number.POSITIVE_INFINITY,
): void {
  if (value === null) return;
  if (typeof value !== "number" || !Number.isFinite(value)) {
    problems.push({ field, problem: `${String(value)} is not a finite number` });
  } else if (value < min || value > max) {
    const range = max === Number.POSITIVE_INFINITY ? `>= ${min}` : `within ${min}..${max}`;
    problems.push({ field, problem: `${value} is not ${range}` });
  }
}

/**
 * Lists what makes an account's signals unusable for scoring: out-of-range or malformed values, or no
 * weighted signal at all. An empty list means scoreCsmHealth will score it.
 */
export function validateSignals(
  account: CsmSignalInputs,
  options: { extraEscalations?: number; weights?: Partial<CsmWeights> } = {},
): SignalProblem[] {
  return findProblems(account, options.extraEscalations ?? 0, resolveWeights(options.weights));
}

/** The problems of an account's signals; the dates that parse are put in `dates`, so each is parsed once. */
export function findProblems(
  account: CsmSignalInputs,
  extraEscalations: number,
  weights: Readonly<CsmWeights>,
  dates: ParsedDates = {},
): SignalProblem[] {
  const problems: SignalProblem[] = [];
  checkNumber(problems, "feature_adoption", account.feature_adoption, 0, 1);
  checkNumber(problems, "nps", account.nps, 0, 10);
  checkNumber(problems, "seats_purchased", account.seats_purchased, 0);
  checkNumber(problems, "seats_used", account.seats_used, 0);
  checkNumber(problems, "escalations_90d", account.escalations_90d, 0);
  checkNumber(problems, "extra_escalations", extraEscalations, 0);
  for (const field of DATE_FIELDS) {
    const value = account[field];
    if (value === null) continue;
    const parsed = typeof value === "string" ? tryParseIso(value) : null;
    if (parsed === null) problems.push({ field, problem: `"${String(value)}" is not an ISO-8601 date` });
    else dates[field] = parsed;
  }
  checkEnum(problems, "usage_trend", account.usage_trend, USAGE_TRENDS);
  checkEnum(problems, "payment_status", account.payment_status, PAYMENT_STATUSES);
  checkEnum(problems, "stakeholder_engagement", account.stakeholder_engagement, ENGAGEMENT_LEVELS);
  checkEnum(problems, "ticket_sentiment", account.ticket_sentiment, TICKET_SENTIMENTS);
  checkEnum(problems, "health_status", account.health_status, TAM_STATUSES);

  // Presence only: the values may be broken (reported above), but a field that is there is not "missing".
  const present: Record<CsmSignal, boolean> = {
    feature_adoption: account.feature_adoption !== null,
    usage_trend: account.usage_trend !== null,
    days_since_login: account.last_login !== null,
    days_since_interaction: account.last_interaction !== null,
    payment_status: account.payment_status !== null,
    support: account.ticket_sentiment !== null,
    stakeholder_engagement: account.stakeholder_engagement !== null,
    nps: account.nps !== null,
    days_to_renewal: account.renewal_date !== null,
    seat_utilization:
      account.seats_purchased !== null && account.seats_purchased !== 0 && account.seats_used !== null,
    escalations_90d: account.escalations_90d !== null || extraEscalations > 0,
  };
  if (!CSM_SIGNALS.some((s) => present[s] && weights[s] > 0)) {
    problems.push({ field: "signals", problem: "no weighted health signal is present" });
  }
  return problems;
}
