import { type Kysely, sql } from "kysely";
import type { Account } from "../domain/types.js";
import type { Database } from "../store/schema.js";
import { durationMs, wakeAt } from "./render/waits.js";
import { type Definition, nextStepId, resolveTarget } from "./schema/definition.js";
import { isGated, type Step } from "./schema/steps.js";
import type { Execution } from "./store/executions.js";
import type { StepExecution } from "./store/steps.js";

/**
 * Estimated completion of an execution: the time left on the path still ahead, from the waits (exact:
 * their wake times are known or computable) and from how long each remaining step took in this
 * playbook's past executions (an approval's wait included). Where a condition is not yet decided, the
 * longer branch counts, so the estimate errs late rather than early.
 */

/** Without history: what a step usually takes. An approval waits for a person, half a working day. */
const DEFAULT_MS: Record<string, number> = {
  email: 60_000,
  task: 60_000,
  meeting: 60_000,
  agent_action: 5 * 60_000,
  condition: 0,
};
const DEFAULT_APPROVAL_MS = 4 * 3_600_000;

export async function stepDurations(db: Kysely<Database>, playbookId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("playbook_step_executions as s")
    .innerJoin("playbook_executions as e", "e.id", "s.execution_id")
    .select([
      "s.step_id",
      sql<number>`avg((julianday(s.finished_at) - julianday(s.started_at)) * 86400000)`.as("avg_ms"),
    ])
    .where("e.playbook_id", "=", playbookId)
    .where("s.status", "=", "completed")
    .where("s.step_type", "!=", "wait")
    .where("s.started_at", "is not", null)
    .where("s.finished_at", "is not", null)
    .groupBy("s.step_id")
    .execute();
  return new Map(rows.map((r) => [r.step_id, Math.max(0, Number(r.avg_ms))]));
}

export interface Estimate {
  estimated_completion_at: string | null;
  remaining_seconds: number | null;
}

export function estimate(
  ex: Execution,
  rows: StepExecution[],
  history: Map<string, number>,
  account: Account | null,
  now: Date,
): Estimate {
  if (ex.finished_at) return { estimated_completion_at: ex.finished_at, remaining_seconds: 0 };
  const def: Definition = ex.snapshot;
  const byId = new Map(rows.map((r) => [r.step_id, r]));
  const index = new Map(def.steps.map((s, i) => [s.id, i]));
  const memo = new Map<string, number>();

  const stepMs = (step: Step, row: StepExecution | undefined, at: number): number => {
    if (row && (row.status === "completed" || row.status === "skipped" || row.status === "failed")) return 0;
    if (step.type === "wait") {
      const wake = row?.wake_at
        ? new Date(row.wake_at).getTime()
        : step.duration
          ? at + durationMs(step.duration)
          : account
            ? (wakeAt(step, { account, now: new Date(at), started_at: new Date(ex.created_at) })?.getTime() ??
              at)
            : at;
      return Math.max(0, wake - at);
    }
    const usual =
      history.get(step.id) ??
      (DEFAULT_MS[step.type] ?? 0) + (isGated(step) && step.require_approval ? DEFAULT_APPROVAL_MS : 0);
    const elapsed = row?.started_at ? now.getTime() - new Date(row.started_at).getTime() : 0;
    return Math.max(0, usual - elapsed);
  };

  // The time from the start of `id` to the end, at clock `at` (waits anchored on dates need it).
  const remaining = (id: string | null, at: number): number => {
    if (id === null) return 0;
    const key = `${id}@${at}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const i = index.get(id);
    const step = i === undefined ? undefined : def.steps[i];
    if (!step || i === undefined) return 0;
    const row = byId.get(id);
    const own = stepMs(step, row, at);
    let rest: number;
    if (step.type === "condition") {
      if (row?.status === "completed") {
        rest = remaining(resolveTarget(row.branch === "then" ? step.if_true : step.if_false), at + own);
      } else {
        rest = Math.max(
          remaining(resolveTarget(step.if_true), at + own),
          remaining(resolveTarget(step.if_false), at + own),
        );
      }
    } else {
      rest = remaining(nextStepId(def, i), at + own);
    }
    memo.set(key, own + rest);
    return own + rest;
  };

  const start = ex.current_step_id ?? def.steps[0]?.id ?? null;
  const ms = remaining(start, now.getTime());
  return {
    estimated_completion_at: new Date(now.getTime() + ms).toISOString(),
    remaining_seconds: Math.round(ms / 1000),
  };
}
