import type { Kysely } from "kysely";
import { daysSince, daysUntil, MS_PER_DAY, MS_PER_HOUR } from "../../domain/calendar.js";
import type { Account } from "../../domain/types.js";
import type { Database } from "../../store/schema.js";
import type { QueuePort } from "../deps.js";
import type { Execution } from "../store/executions.js";
import type { StepExecution } from "../store/steps.js";
import type { Facts } from "./evaluate.js";

/**
 * Gathers the facts a condition reads (see EXECUTION_FACTS in schema.ts), only those asked for: the
 * account's own fields, health and usage from the store, and an execution's flags and elapsed time.
 */

/** Usage change in percent: the mean weekly events of the last 4 weeks against the 4 weeks before. */
export async function usageChangePct(
  db: Kysely<Database>,
  accountId: string,
  now: Date,
): Promise<number | null> {
  const rows = await db
    .selectFrom("usage")
    .select(["week_start", "events"])
    .where("account_id", "=", accountId)
    .where("week_start", "<=", now.toISOString().slice(0, 10))
    .orderBy("week_start", "desc")
    .limit(8)
    .execute();
  if (rows.length < 8) return null;
  const mean = (xs: typeof rows) => xs.reduce((s, r) => s + r.events, 0) / xs.length;
  const recent = mean(rows.slice(0, 4));
  const prior = mean(rows.slice(4, 8));
  if (prior <= 0) return null;
  return Math.round(((recent - prior) / prior) * 1000) / 10;
}

async function latestHealth(db: Kysely<Database>, accountId: string) {
  return db
    .selectFrom("health_history")
    .select(["score", "rag"])
    .where("account_id", "=", accountId)
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
}

export interface FactSources {
  db: Kysely<Database>;
  queue: QueuePort;
  now: Date;
  account: Account;
  execution?: Execution;
  steps?: StepExecution[];
}

export async function gatherFacts(names: Iterable<string>, src: FactSources): Promise<Facts> {
  const facts: Record<string, unknown> = {};
  let health: Awaited<ReturnType<typeof latestHealth>> | null = null;
  const history = async () => {
    health ??= (await latestHealth(src.db, src.account.id)) ?? null;
    return health;
  };
  for (const name of names) {
    if (name.startsWith("account.")) {
      facts[name] =
        (src.account as unknown as Record<string, unknown>)[name.slice("account.".length)] ?? null;
      continue;
    }
    switch (name) {
      case "health_score":
        facts[name] = src.account.csm_health_score ?? (await history())?.score ?? null;
        break;
      case "health_rag":
        facts[name] = src.account.csm_health_rag ?? (await history())?.rag ?? null;
        break;
      case "churn_risk":
        facts[name] = src.account.churn_risk;
        break;
      case "usage_change_pct":
        facts[name] = await usageChangePct(src.db, src.account.id, src.now);
        break;
      case "days_to_renewal":
        facts[name] = daysUntil(src.account.renewal_date, src.now);
        break;
      case "days_since_signup":
        facts[name] = daysSince(src.account.signup_date, src.now);
        break;
      case "response_received":
        facts[name] = src.execution?.flags.response_received === true;
        break;
      case "meeting_held":
        facts[name] = await meetingHeld(src);
        break;
      case "elapsed_days":
      case "elapsed_hours": {
        if (!src.execution) {
          facts[name] = null;
          break;
        }
        const ms = src.now.getTime() - new Date(src.execution.created_at).getTime();
        facts[name] = Math.floor(ms / (name === "elapsed_days" ? MS_PER_DAY : MS_PER_HOUR));
        break;
      }
      default:
        facts[name] = null;
    }
  }
  return facts;
}

/** Held when flagged over the API, or when the queue task of a meeting step was completed. */
async function meetingHeld(src: FactSources): Promise<boolean> {
  if (src.execution?.flags.meeting_held === true) return true;
  for (const step of src.steps ?? []) {
    const taskId = step.step_type === "meeting" ? step.output?.task_id : undefined;
    if (typeof taskId !== "number") continue;
    const task = await src.queue.get(taskId).catch(() => null); // a deleted task holds no meeting
    if (task?.status === "completed") return true;
  }
  return false;
}
