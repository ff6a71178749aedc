/**
 * The gather node: the account, its health history of the period (store table health_history), tickets,
 * weekly usage, adoption against the book, and expansion records, as the QBR's facts in the run's draft
 * row. Reads only.
 */
import { isoDate, parseQuarterLabel, type Quarter } from "../../../../domain/calendar.js";
import {
  type CsmBreakdownEntry,
  type CsmSignal,
  scoreCsmHealth,
} from "../../../../domain/health/csm-score.js";
import { quarterToReview } from "../../../../domain/qbr.js";
import { type Account, isOpenTicket, type Rag } from "../../../../domain/types.js";
import { decodeHealthDetail } from "../../../../store/health-detail.js";
import type { AgentDeps } from "../../../deps.js";
import { assessAccountAdoption } from "../../adoption/assess.js";
import { csmSettings } from "../../settings.js";
import { buildQbrFacts, type FactsInput, type QbrFacts, type QbrTrigger } from "../facts.js";
import type { QbrDraftStore } from "../store.js";
import { type GenerateQbrNode, type GenerateQbrResult, QBR_STEPS } from "../task.js";

export interface GatherRequest {
  account_id: string;
  /** "Q3 2026"; default: the quarter just ended in the scheduler's time zone. */
  period?: string | undefined;
  trigger: QbrTrigger;
}

/** The quarter a request reviews; a quarter that has not started yet has nothing to review. */
export function resolveQuarter(period: string | undefined, now: Date, timeZone: string): Quarter {
  const quarter = period === undefined ? quarterToReview(now, timeZone) : parseQuarterLabel(period);
  if (quarter.start.getTime() > now.getTime()) {
    throw new Error(`period ${quarter.label} has not started yet: a QBR reviews a past or current quarter`);
  }
  return quarter;
}

type Breakdown = Pick<CsmBreakdownEntry, "signal" | "points">[];

function breakdownOf(detail: string | null): Breakdown | null {
  if (!detail) return null;
  try {
    const parsed = decodeHealthDetail(detail) as { breakdown?: unknown } | null;
    if (!parsed || !Array.isArray(parsed.breakdown)) return null;
    return parsed.breakdown.filter(
      (e): e is Breakdown[number] =>
        typeof e === "object" && e !== null && typeof e.signal === "string" && typeof e.points === "number",
    );
  } catch {
    // A row written by an older scan with another detail shape: no breakdown, not a failed QBR.
    return null;
  }
}

/** The signals costing the most points now, as the health score explains them. */
function currentDrivers(
  deps: Pick<AgentDeps, "config">,
  account: Account,
  openTickets: number,
  now: Date,
): Array<{ signal: CsmSignal; points_lost: number }> {
  try {
    const settings = csmSettings(deps.config);
    const health = scoreCsmHealth(account, {
      now,
      openTickets,
      thresholds: settings.thresholds,
      ...(settings.weights ? { weights: settings.weights } : {}),
    });
    return health.top_drivers.map((signal) => {
      const e = health.breakdown.find((b) => b.signal === signal);
      return { signal, points_lost: e ? e.max_points - e.points : 0 };
    });
  } catch {
    // Unusable signals: the QBR still reports the history; it just names no current drivers.
    return [];
  }
}

export async function gatherQbrFacts(
  deps: Pick<AgentDeps, "records" | "store" | "clock" | "config">,
  req: GatherRequest,
): Promise<QbrFacts> {
  const account = await deps.records.getAccount(req.account_id);
  if (!account) throw new Error(`account ${req.account_id} not found`);
  const now = deps.clock.now();
  const quarter = resolveQuarter(req.period, now, deps.config.SCHEDULER_TIMEZONE);
  const until = new Date(Math.min(quarter.end.getTime(), now.getTime() + 1)).toISOString();

  const [historyRows, usageRows, tickets, adoption, expansion] = await Promise.all([
    deps.store.db
      .selectFrom("health_history")
      .select(["at", "score", "rag", "detail"])
      .where("account_id", "=", account.id)
      .where("at", ">=", quarter.start.toISOString())
      .where("at", "<", until)
      .orderBy("at")
      .execute(),
    deps.store.db
      .selectFrom("usage")
      .selectAll()
      .where("account_id", "=", account.id)
      .where("week_start", ">=", isoDate(quarter.start))
      .where("week_start", "<", isoDate(quarter.end))
      .where("week_start", "<=", isoDate(now))
      .orderBy("week_start")
      .execute(),
    deps.records.listTickets(account.id),
    assessAccountAdoption(deps, account),
    deps.records.listExpansionOpportunities(account.id),
  ]);

  const input: FactsInput = {
    account,
    quarter,
    now,
    trigger: req.trigger,
    history: historyRows.map((r) => ({
      at: r.at,
      score: r.score,
      rag: r.rag as Rag,
      breakdown: breakdownOf(r.detail),
    })),
    currentDrivers: currentDrivers(deps, account, tickets.filter(isOpenTicket).length, now),
    tickets,
    usage: usageRows,
    adoption,
    expansion,
  };
  return buildQbrFacts(input);
}

export function gather(deps: AgentDeps, store: QbrDraftStore): GenerateQbrNode {
  return async (ctx) => {
    const now = deps.clock.now();
    await store.prune(now);
    const trigger = ctx.task.trigger ?? "manual";
    const facts = await gatherQbrFacts(deps, {
      account_id: ctx.task.account_id,
      period: ctx.task.period === undefined ? undefined : parseQuarterLabel(ctx.task.period).label,
      trigger,
    });
    await store.saveFacts(ctx.run_id, facts, trigger, now);
    ctx.progress({ phase: "gather", done: 1, total: QBR_STEPS });
    const result = {
      account_id: facts.account.id,
      account_name: facts.account.name,
      period: facts.period.label,
      trigger,
      health_points: facts.health.points,
    } satisfies Partial<GenerateQbrResult>;
    return { result };
  };
}
