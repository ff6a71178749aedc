/**
 * Creating tasks: one at a time for a customer (the playbook engine, the event subscriptions, the API),
 * or by running the generation rules over the book. Either way through insertTask, which never lets a
 * second open task of one type exist for one customer, and a task.created event for each new task.
 */
import { MS_PER_HOUR } from "../domain/calendar.js";
import { isTaskTypeSlug, type TaskTypeSlug } from "../domain/tasks/catalog-schema.js";
import { churnLevelFor } from "../domain/tasks/churn-level.js";
import { estimateContext, QUEUE_SOURCE, type QueueContext } from "./context.js";
import { QueueInputError } from "./errors.js";
import { type GenerateOptions, type GenerateResult, generateTasks } from "./generator.js";
import { snapshotOf } from "./scoring.js";
import { toTask } from "./task-rows.js";
import { type InsertResult, insertTask, type NewTask } from "./task-writer.js";
import type { CsmTask } from "./types.js";

export interface CreateTaskInput {
  customer_id: string;
  task_type: TaskTypeSlug;
  /** Default: the account's csm_owner. */
  csm_id?: string | undefined;
  /** Default: now + the task type's SLA. */
  due_date?: string | undefined;
  metadata?: Record<string, unknown> | undefined;
  /** Who asked, e.g. "playbook:<execution_id>", "api:<key>", "event:expansion.identified". */
  source: string;
  /** An episode key: a second call with the same key never creates a second task. */
  trigger_key?: string | undefined;
  /** Skip creation while a task of this type for the customer was created within this many days. */
  cooldown_days?: number | undefined;
}

/**
 * Create one task for a customer. Never a second open task of one type for one customer: then `created`
 * is false and `task` is the one that exists.
 */
export async function createTask(
  ctx: QueueContext,
  input: CreateTaskInput,
): Promise<{ task: CsmTask; created: boolean }> {
  if (!isTaskTypeSlug(input.task_type)) {
    throw new QueueInputError(`unknown task type "${input.task_type}"`, "task_type");
  }
  const catalog = await ctx.catalog();
  const type = catalog.typeBySlug.get(input.task_type)!;
  const account = await ctx.records.getAccount(input.customer_id);
  if (!account) throw new QueueInputError(`customer ${input.customer_id} not found`, "customer_id");
  const csmId = input.csm_id ?? account.csm_owner;
  if (!csmId) {
    throw new QueueInputError(`customer ${account.id} has no csm_owner; pass csm_id`, "csm_id");
  }
  const now = ctx.clock.now();
  if (input.due_date !== undefined && Number.isNaN(Date.parse(input.due_date))) {
    throw new QueueInputError("due_date must be an ISO-8601 date-time", "due_date");
  }
  const tickets = account.churn_risk === null ? await ctx.records.listTickets(account.id) : [];
  const churn = churnLevelFor(account, {
    ...estimateContext(ctx.config),
    now,
    openTickets: tickets.filter((t) => t.status === "Open" || t.status === "Pending").length,
    fallingFast: false,
  });
  const result = await insertAndAnnounce(
    ctx,
    {
      snapshot: snapshotOf(account, churn.level),
      type,
      csm_id: csmId,
      due_date:
        input.due_date !== undefined
          ? new Date(input.due_date).toISOString()
          : new Date(now.getTime() + type.sla_hours * MS_PER_HOUR).toISOString(),
      metadata: input.metadata ?? {},
      source: input.source,
      trigger_key: input.trigger_key ?? null,
      cooldown_days: input.cooldown_days ?? 0,
    },
    now,
  );
  return { task: toTask(result.row, now, ctx.probabilities), created: result.created };
}

/** Run the generation rules over the book (or some customers / one CSM's customers). */
export async function generate(ctx: QueueContext, opts: GenerateOptions): Promise<GenerateResult> {
  const catalog = await ctx.catalog();
  const now = ctx.clock.now();
  return generateTasks(
    {
      db: ctx.db,
      records: ctx.records,
      now,
      catalog,
      probabilities: ctx.probabilities,
      estimate: estimateContext(ctx.config),
      insert: (task) => insertAndAnnounce(ctx, task, now),
    },
    opts,
  );
}

async function insertAndAnnounce(ctx: QueueContext, task: NewTask, now: Date): Promise<InsertResult> {
  const result = await insertTask(ctx.db, task, now, ctx.probabilities);
  if (result.created) {
    await ctx.bus.publish("task.created", {
      source: QUEUE_SOURCE,
      account_id: result.row.customer_id,
      payload: {
        task_id: String(result.row.id),
        task_type: result.row.task_type,
        csm_id: result.row.csm_id,
        priority: result.row.priority,
      },
    });
  }
  return result;
}
