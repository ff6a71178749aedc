/**
 * The outcome views: a CSM's week and the manager's team view. Reads the outcome records of this week
 * and the week before, and the open work per CSM; the metrics themselves are metrics.ts.
 */
import type { Kysely } from "kysely";
import { parseJson } from "../store/db.js";
import type { Database } from "../store/schema.js";
import {
  type OutcomeFact,
  sumMetrics,
  type WeeklyGoals,
  type WeeklyMetrics,
  weekBounds,
  weeklyMetrics,
} from "./metrics.js";
import { OPEN_STATUS_SQL } from "./task-writer.js";

export interface WeeklyOutcomesView extends WeeklyMetrics {
  csm_id: string;
  week_start: string;
  week_end: string;
}

export interface TeamView {
  week_start: string;
  week_end: string;
  team: WeeklyMetrics & { members: number; open_tasks: number; overdue_tasks: number };
  members: Array<WeeklyMetrics & { csm_id: string; open_tasks: number; overdue_tasks: number }>;
}

/** A CSM's outcome metrics for the week containing `at`, with the trend against last week. */
export async function weeklyOutcomes(
  db: Kysely<Database>,
  goals: WeeklyGoals,
  csmId: string,
  at: Date,
): Promise<WeeklyOutcomesView> {
  const { start, end } = weekBounds(at);
  const [thisWeek, lastWeek] = await outcomeFacts(db, start, end, csmId);
  return {
    csm_id: csmId,
    week_start: start.toISOString(),
    week_end: end.toISOString(),
    ...weeklyMetrics(thisWeek.get(csmId) ?? [], lastWeek.get(csmId) ?? [], goals),
  };
}

/** Every CSM's weekly metrics for the week containing `at`, their open and overdue work as of `now`, and team totals. */
export async function teamView(
  db: Kysely<Database>,
  goals: WeeklyGoals,
  at: Date,
  now: Date,
): Promise<TeamView> {
  const { start, end } = weekBounds(at);
  const [thisWeek, lastWeek] = await outcomeFacts(db, start, end);
  const nowIso = now.toISOString();
  const load = await db
    .selectFrom("csm_tasks")
    .select((eb) => [
      "csm_id",
      eb.fn.countAll<number>().as("open"),
      eb.fn.sum<number>(eb.case().when("due_date", "<", nowIso).then(1).else(0).end()).as("overdue"),
    ])
    .where(OPEN_STATUS_SQL)
    .groupBy("csm_id")
    .execute();
  const loadBy = new Map(load.map((l) => [l.csm_id, { open: Number(l.open), overdue: Number(l.overdue) }]));
  const ids = [...new Set([...thisWeek.keys(), ...lastWeek.keys(), ...loadBy.keys()])].sort();
  const members = ids.map((csm_id) => ({
    csm_id,
    ...weeklyMetrics(thisWeek.get(csm_id) ?? [], lastWeek.get(csm_id) ?? [], goals),
    open_tasks: loadBy.get(csm_id)?.open ?? 0,
    overdue_tasks: loadBy.get(csm_id)?.overdue ?? 0,
  }));
  return {
    week_start: start.toISOString(),
    week_end: end.toISOString(),
    team: {
      ...sumMetrics(members, goals),
      members: members.length,
      open_tasks: members.reduce((s, m) => s + m.open_tasks, 0),
      overdue_tasks: members.reduce((s, m) => s + m.overdue_tasks, 0),
    },
    members,
  };
}

/** Outcome facts of this week and last week, by CSM. */
async function outcomeFacts(
  db: Kysely<Database>,
  start: Date,
  end: Date,
  csmId?: string,
): Promise<[Map<string, OutcomeFact[]>, Map<string, OutcomeFact[]>]> {
  const lastStart = new Date(start.getTime() - (end.getTime() - start.getTime()));
  let q = db
    .selectFrom("csm_task_outcomes")
    .select([
      "csm_id",
      "action",
      "task_type",
      "objective_achieved",
      "quality_gate_responses",
      "channel",
      "arr",
      "metadata",
      "created_at",
    ])
    .where("created_at", ">=", lastStart.toISOString())
    .where("created_at", "<", end.toISOString());
  if (csmId !== undefined) q = q.where("csm_id", "=", csmId);
  const rows = await q.execute();
  const thisWeek = new Map<string, OutcomeFact[]>();
  const lastWeek = new Map<string, OutcomeFact[]>();
  const startIso = start.toISOString();
  for (const r of rows) {
    const target = r.created_at >= startIso ? thisWeek : lastWeek;
    const list = target.get(r.csm_id) ?? [];
    list.push({
      action: r.action,
      task_type: r.task_type,
      objective_achieved: r.objective_achieved,
      quality_gate_responses: parseJson(r.quality_gate_responses, {}),
      channel: r.channel,
      arr: r.arr,
      metadata: parseJson(r.metadata, {}),
    });
    target.set(r.csm_id, list);
  }
  return [thisWeek, lastWeek];
}
