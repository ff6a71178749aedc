/**
 * Task generation over the book: the daily job, POST /v1/cs/csm-tasks/generate. Reads accounts through
 * the records port a page at a time, evaluates the rules (domain/tasks/generation-rules.ts), and inserts what
 * they call for (task-writer.ts decides duplicates). On the way it refreshes the customer inputs of open
 * tasks, so the priority of every open task follows the account's ARR, tier, churn risk and renewal.
 * Running it twice in a row creates nothing the second time.
 */
import { type Kysely, sql } from "kysely";
import type { RecordsPort } from "../adapters/records/port.js";
import { addDays, MS_PER_HOUR } from "../domain/calendar.js";
import { type ChurnEstimateContext, churnLevelFor } from "../domain/tasks/churn-level.js";
import {
  evaluateRules,
  HEALTH_DROP_COVERED_BY,
  healthDropWindowDays,
  type TaskTrigger,
} from "../domain/tasks/generation-rules.js";
import { type Account, isOpenTicket } from "../domain/types.js";
import type { Database } from "../store/schema.js";
import type { CatalogIndex } from "./catalog-store.js";
import { type ChurnProbabilities, snapshotOf } from "./scoring.js";
import { type InsertResult, type NewTask, OPEN_STATUS_SQL, refreshOpenTasks } from "./task-writer.js";

export interface GenerateOptions {
  /** Only these customers (default: the whole book). */
  customer_ids?: string[] | undefined;
  /** Only customers this CSM owns. */
  csm_id?: string | undefined;
  /** Recorded on the tasks (e.g. "schedule", "api:maya"). */
  source?: string | undefined;
}

export interface GenerateResult {
  tasks_created: number;
  tasks_skipped: number;
  /** Why rules that fired created no task, with counts. */
  skipped_reasons: Record<string, number>;
  accounts_scanned: number;
  /** Open tasks whose customer inputs (and so priority) changed. */
  tasks_refreshed: number;
  created: Array<{ task_id: number; customer_id: string; task_type: string }>;
}

export interface GeneratorDeps {
  db: Kysely<Database>;
  records: RecordsPort;
  now: Date;
  catalog: CatalogIndex;
  probabilities: ChurnProbabilities;
  estimate: Omit<ChurnEstimateContext, "now" | "openTickets" | "fallingFast">;
  insert: (task: NewTask) => Promise<InsertResult>;
}

interface HealthFacts {
  latest: Map<string, number>;
  recentMax: Map<string, number>;
}

async function healthFacts(db: Kysely<Database>, ids: string[], since: string): Promise<HealthFacts> {
  const recent = await db
    .selectFrom("health_history")
    .select(["account_id", (eb) => eb.fn.max("score").as("max")])
    .where("account_id", "in", ids)
    .where("at", ">=", since)
    .groupBy("account_id")
    .execute();
  const latest = await sql<{ account_id: string; score: number }>`
    SELECT h.account_id, h.score FROM health_history h
    JOIN (SELECT account_id, MAX(at) AS at FROM health_history WHERE account_id IN (${sql.join(ids)})
          GROUP BY account_id) last
      ON last.account_id = h.account_id AND last.at = h.at`.execute(db);
  return {
    latest: new Map(latest.rows.map((r) => [r.account_id, r.score])),
    recentMax: new Map(recent.map((r) => [r.account_id, Number(r.max)])),
  };
}

export async function generateTasks(deps: GeneratorDeps, opts: GenerateOptions): Promise<GenerateResult> {
  const { db, now, catalog } = deps;
  const result: GenerateResult = {
    tasks_created: 0,
    tasks_skipped: 0,
    skipped_reasons: {},
    accounts_scanned: 0,
    tasks_refreshed: 0,
    created: [],
  };
  const skip = (reason: string) => {
    result.tasks_skipped++;
    result.skipped_reasons[reason] = (result.skipped_reasons[reason] ?? 0) + 1;
  };
  const rules = catalog.taskTypes.map((t) => ({
    slug: t.slug,
    auto_trigger_conditions: t.auto_trigger_conditions,
    is_active: t.is_active,
  }));
  const windowStart = addDays(now, -healthDropWindowDays(rules)).toISOString();

  for await (const page of deps.records.iterateAccounts({
    status: ["Onboarding", "Active", "Inactive"],
    ...(opts.customer_ids ? { ids: opts.customer_ids } : {}),
  })) {
    const accounts = opts.csm_id ? page.filter((a) => a.csm_owner === opts.csm_id) : page;
    if (accounts.length === 0) continue;
    result.accounts_scanned += accounts.length;
    const ids = accounts.map((a) => a.id);
    const health = await healthFacts(db, ids, windowStart);
    const unscored = accounts.filter((a) => a.churn_risk === null).map((a) => a.id);
    const tickets =
      unscored.length > 0 ? await deps.records.listTicketsFor(unscored, { open_only: true }) : new Map();
    const openAtRisk = new Set(
      (
        await db
          .selectFrom("csm_tasks")
          .select("customer_id")
          .where("customer_id", "in", ids)
          .where("task_type", "=", HEALTH_DROP_COVERED_BY)
          .where(OPEN_STATUS_SQL)
          .execute()
      ).map((r) => r.customer_id),
    );

    for (const account of accounts) {
      const current = account.csm_health_score ?? health.latest.get(account.id) ?? null;
      const recentMax = health.recentMax.get(account.id) ?? null;
      const fallingFast = current !== null && recentMax !== null && recentMax - current >= 10;
      const churn = churnLevelFor(account, {
        ...deps.estimate,
        now,
        openTickets: (tickets.get(account.id) ?? []).filter(isOpenTicket).length,
        fallingFast,
      });
      const snapshot = snapshotOf(account, churn.level);
      const { customer_id: _id, ...patch } = snapshot;
      result.tasks_refreshed += await refreshOpenTasks(db, account.id, patch, now, deps.probabilities);

      const triggers = evaluateRules(rules, account, {
        now,
        churn,
        health: { current, recent_max: recentMax },
      });
      const atRisk =
        openAtRisk.has(account.id) || triggers.some((t) => t.task_type === HEALTH_DROP_COVERED_BY);
      for (const trigger of triggers) {
        if (trigger.task_type === "health_score_drop" && atRisk) {
          skip("covered_by_at_risk_recovery");
          continue;
        }
        if (account.csm_owner === null) {
          skip("no_csm_owner");
          continue;
        }
        const outcome = await deps.insert(
          newTask(deps, account, snapshot, trigger, opts.source ?? "generation"),
        );
        if (outcome.created) {
          result.tasks_created++;
          result.created.push({
            task_id: outcome.row.id,
            customer_id: account.id,
            task_type: trigger.task_type,
          });
        } else {
          skip(outcome.reason);
        }
      }
    }
  }
  return result;
}

function newTask(
  deps: GeneratorDeps,
  account: Account,
  snapshot: ReturnType<typeof snapshotOf>,
  trigger: TaskTrigger,
  source: string,
): NewTask {
  const type = deps.catalog.typeBySlug.get(trigger.task_type)!;
  return {
    snapshot,
    type,
    csm_id: account.csm_owner!,
    due_date: new Date(deps.now.getTime() + type.sla_hours * MS_PER_HOUR).toISOString(),
    metadata: { reason: trigger.reason, ...trigger.metadata },
    source,
    trigger_key: trigger.trigger_key,
    cooldown_days: trigger.cooldown_days,
  };
}
