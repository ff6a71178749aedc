/**
 * Reading single tasks: a task as it stands now, and the task detail a CSM works from (its type, call
 * playbook, customer context and the customer's outcome history). The queue listing is queue-read.ts.
 */
import { type FilledScript, fillScript } from "../domain/tasks/call-script.js";
import { allowedActions } from "../domain/tasks/state-machine.js";
import { isOpenTicket } from "../domain/types.js";
import { decodeHealthDetail } from "../store/health-detail.js";
import type { PlaybookRecord, TaskTypeRecord } from "./catalog-store.js";
import type { QueueContext } from "./context.js";
import { buildCustomerContext, recentTickets, riskFactors } from "./customer-context.js";
import { TaskNotFoundError } from "./errors.js";
import { authorize } from "./lifecycle.js";
import { currentBreakdown } from "./scoring.js";
import { scriptValues } from "./script-values.js";
import { type TaskRow, toOutcome, toTask } from "./task-rows.js";
import { OPEN_STATUS_SQL } from "./task-writer.js";
import type { Actor, CsmTask, TaskOutcome } from "./types.js";

export interface TaskDetail {
  task: CsmTask;
  task_type: TaskTypeRecord;
  playbook: PlaybookRecord | null;
  customer:
    | (Record<string, unknown> & {
        /** The customer's five newest tickets, whatever the playbook's context fields. */
        recent_tickets: ReturnType<typeof recentTickets>;
        context: Record<string, unknown>;
      })
    | null;
  outcomes: TaskOutcome[];
  /** The customer's interaction history: outcome records of all its tasks, newest first (up to 50). */
  history: (TaskOutcome & { task_type: string })[];
  /** The call playbook's scripts with this customer's values in place of the placeholders. */
  script: {
    objective: FilledScript;
    opening_script: FilledScript;
    success_criteria: FilledScript;
    objection_handlers: { id: string; trigger: string; response: FilledScript }[];
  } | null;
  priority_breakdown: ReturnType<typeof currentBreakdown>;
  allowed_actions: string[];
}

export async function readTaskRow(ctx: QueueContext, id: number): Promise<TaskRow> {
  const row = await ctx.db.selectFrom("csm_tasks").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new TaskNotFoundError(id);
  return row;
}

/** One task as it stands now (status, score). */
export async function getTask(ctx: QueueContext, id: number, actor?: Actor): Promise<CsmTask> {
  const row = await readTaskRow(ctx, id);
  authorize(row, actor);
  return toTask(row, ctx.clock.now(), ctx.probabilities);
}

/** A task with its type, call playbook, customer context and outcome history. */
export async function taskDetail(ctx: QueueContext, id: number, actor?: Actor): Promise<TaskDetail> {
  const catalog = await ctx.catalog();
  const row = await readTaskRow(ctx, id);
  authorize(row, actor);
  const now = ctx.clock.now();
  const task = toTask(row, now, ctx.probabilities);
  const type = catalog.typeBySlug.get(task.task_type) ?? catalog.typeById.get(row.task_type_id)!;
  const playbook =
    (row.playbook_id !== null ? catalog.playbookById.get(row.playbook_id) : undefined) ??
    catalog.playbookBySlug.get(task.task_type) ??
    null;
  const outcomes = (
    await ctx.db
      .selectFrom("csm_task_outcomes")
      .selectAll()
      .where("customer_id", "=", row.customer_id)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(50)
      .execute()
  ).map((o) => ({ ...toOutcome(o), task_type: o.task_type }));
  const account = await ctx.records.getAccount(row.customer_id);
  let customer: TaskDetail["customer"] = null;
  let script: TaskDetail["script"] = null;
  if (account) {
    const [tickets, health] = await Promise.all([
      ctx.records.listTickets(account.id),
      ctx.db
        .selectFrom("health_history")
        .select(["at", "score", "rag", "detail"])
        .where("account_id", "=", account.id)
        .orderBy("at", "desc")
        .limit(26)
        .execute(),
    ]);
    const chronological = [...health].reverse();
    const breakdown = health.find((h) => h.detail)?.detail;
    if (playbook) {
      const values = scriptValues({
        account,
        task,
        tickets,
        riskFactors: riskFactors(account, tickets.filter(isOpenTicket).length, now),
        healthScore: account.csm_health_score ?? health[0]?.score ?? null,
        company: ctx.config.COMPANY_NAME,
        product: ctx.config.PRODUCT_NAME,
      });
      script = {
        objective: fillScript(playbook.objective, values),
        opening_script: fillScript(playbook.opening_script, values),
        success_criteria: fillScript(playbook.success_criteria, values),
        objection_handlers: playbook.objection_handlers.map((h) => ({
          id: h.id,
          trigger: h.trigger,
          response: fillScript(h.response, values),
        })),
      };
    }
    customer = {
      ...account,
      recent_tickets: recentTickets(tickets),
      context: buildCustomerContext(playbook?.context_fields ?? [], {
        account,
        tickets,
        health: chronological,
        breakdown: decodeHealthDetail(breakdown)?.breakdown ?? null,
        task,
        outcomes,
        now,
      }),
    };
  }
  return {
    task,
    task_type: type,
    playbook,
    customer,
    outcomes: outcomes.filter((o) => o.task_id === row.id).map(({ task_type: _t, ...o }) => o),
    history: outcomes,
    script,
    priority_breakdown: currentBreakdown(row, now, ctx.probabilities),
    allowed_actions: allowedActions(task.status),
  };
}

/** Whether the customer has an open task of the type. */
export async function hasOpenTask(ctx: QueueContext, customerId: string, taskType: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom("csm_tasks")
    .select("id")
    .where("customer_id", "=", customerId)
    .where("task_type", "=", taskType)
    .where(OPEN_STATUS_SQL)
    .executeTakeFirst();
  return row !== undefined;
}
