/**
 * TaskQueue: the CSM task queue's one entry point (issue 7). The API, the scheduler, the event
 * subscriptions and the playbook engine (runtime.queue.createTask) all go through it.
 *
 * Tasks, outcomes and the catalogue live in the store; customer data is read through the records port.
 * Priority scores are computed when read (scoring.ts, ranking.ts), so overdue tasks climb on their own.
 */
import type { Kysely } from "kysely";
import type { RecordsPort } from "../adapters/records/port.js";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import { MS_PER_HOUR } from "../domain/calendar.js";
import { isTaskTypeSlug, type TaskTypeSlug } from "../domain/tasks/catalog-schema.js";
import { churnLevelFor } from "../domain/tasks/churn-level.js";
import { validateGateAnswers } from "../domain/tasks/quality-gates.js";
import { allowedActions, type TaskStatus } from "../domain/tasks/state-machine.js";
import type { ChurnLevel } from "../domain/types.js";
import type { EventBus } from "../events/bus.js";
import type { Logger } from "../logger.js";
import { parseJson } from "../store/db.js";
import { decodeHealthDetail } from "../store/health-detail.js";
import type { Database } from "../store/schema.js";
import { type CatalogIndex, type PlaybookRecord, syncCatalog, type TaskTypeRecord } from "./catalog-store.js";
import { buildCustomerContext } from "./customer-context.js";
import { GateValidationError, QueueInputError, TaskNotFoundError } from "./errors.js";
import { type GenerateOptions, type GenerateResult, generateTasks } from "./generator.js";
import { countTasks, type HistoryTask, importHistory } from "./history-import.js";
import { authorize, type TransitionSpec, transition, wakeExpired } from "./lifecycle.js";
import {
  completionMetadata,
  type OutcomeFact,
  sumMetrics,
  type WeeklyGoals,
  type WeeklyMetrics,
  weekBounds,
  weeklyMetrics,
} from "./metrics.js";
import { type QueueFilters, type QueuePage, readQueue } from "./queue-read.js";
import {
  type ChurnProbabilities,
  currentBreakdown,
  currentRawScore,
  resolveChurnProbabilities,
  snapshotOf,
  staticScore,
} from "./scoring.js";
import { handleQueueEvent, QUEUE_EVENT_TYPES, QUEUE_SUBSCRIBER } from "./subscriptions.js";
import { type OutcomeRow, type TaskRow, toOutcome, toTask } from "./task-rows.js";
import {
  type InsertResult,
  insertTask,
  type NewTask,
  OPEN_STATUS_SQL,
  refreshOpenTasks,
  refreshScoreFloors,
} from "./task-writer.js";
import type {
  Actor,
  Channel,
  CompletionOutcomeType,
  CsmTask,
  ObjectiveAchieved,
  Sentiment,
  TaskOutcome,
} from "./types.js";

export interface TaskQueueDeps {
  db: Kysely<Database>;
  bus: EventBus;
  records: RecordsPort;
  clock: Clock;
  config: Config;
  log: Logger;
}

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

export interface CompleteInput {
  outcome_type?: CompletionOutcomeType | undefined;
  objective_achieved: ObjectiveAchieved;
  sentiment?: Sentiment | null | undefined;
  quality_gates?: Record<string, unknown> | undefined;
  notes?: string | undefined;
  next_action?: { notes: string; date?: string | null | undefined } | null | undefined;
  blocker_reason?: string | null | undefined;
  channel?: Channel | undefined;
}

export interface TaskDetail {
  task: CsmTask;
  task_type: TaskTypeRecord;
  playbook: PlaybookRecord | null;
  customer: (Record<string, unknown> & { context: Record<string, unknown> }) | null;
  outcomes: TaskOutcome[];
  priority_breakdown: ReturnType<typeof currentBreakdown>;
  allowed_actions: string[];
}

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

const SOURCE = "queue";
/** Floors younger than this are left alone by a refresh (a generation run called twice in a row). */
const FLOOR_MAX_AGE_MS = 60 * 60 * 1000;

export class TaskQueue {
  readonly probabilities: ChurnProbabilities;
  private catalogReady: Promise<CatalogIndex> | null = null;
  private readonly goals: WeeklyGoals;

  constructor(private readonly deps: TaskQueueDeps) {
    this.probabilities = resolveChurnProbabilities(deps.config.QUEUE_CHURN_PROBABILITIES);
    this.goals = {
      onboarding_completions: deps.config.QUEUE_WEEKLY_GOAL_ONBOARDING_COMPLETIONS,
      at_risk_saves: deps.config.QUEUE_WEEKLY_GOAL_AT_RISK_SAVES,
    };
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  /** The catalogue synced into the store (once per process; every method awaits it). */
  catalog(): Promise<CatalogIndex> {
    this.catalogReady ??= syncCatalog(this.deps.db, this.now().toISOString()).catch((err: unknown) => {
      this.catalogReady = null;
      throw err;
    });
    return this.catalogReady;
  }

  /**
   * Boot: sync the catalogue, re-derive static scores when the churn probabilities were reconfigured,
   * and take old score floors anew.
   */
  async onStart(): Promise<void> {
    await this.catalog();
    await this.restoreStaticScores();
    await this.refreshScoreFloors();
  }

  /** Whether the queue has no task at all (a fresh store). */
  async isEmpty(): Promise<boolean> {
    return (await countTasks(this.deps.db)) === 0;
  }

  /** Load a ready-made history into an empty queue (the demo book's), then take its score floors. */
  async importHistory(history: readonly HistoryTask[]): Promise<{ tasks: number; outcomes: number } | null> {
    await this.catalog();
    const loaded = await importHistory(this.deps.db, history);
    if (loaded) await this.refreshScoreFloors();
    return loaded;
  }

  /**
   * Take the score floors older than FLOOR_MAX_AGE_MS anew (boot, every generation run). Floors keep the
   * queue's reads short; an old floor is still correct, only slower to read past (scoring.ts).
   */
  async refreshScoreFloors(): Promise<number> {
    const refreshed = await refreshScoreFloors(this.deps.db, this.now(), this.probabilities, {
      maxAgeMs: FLOOR_MAX_AGE_MS,
    });
    if (refreshed > 0) this.deps.log.debug({ tasks: refreshed }, "task score floors refreshed");
    return refreshed;
  }

  /** Register the durable event subscription (before bus.start). */
  subscribe(): void {
    this.deps.bus.durable(QUEUE_SUBSCRIBER, QUEUE_EVENT_TYPES, (event) => handleQueueEvent(this, event));
  }

  private async restoreStaticScores(): Promise<void> {
    const rows = await this.deps.db
      .selectFrom("csm_tasks")
      .select(["id", "priority", "due_date", "arr", "tier", "churn_risk", "renewal_date", "static_score"])
      .where(OPEN_STATUS_SQL)
      .execute();
    const now = this.now();
    let changed = 0;
    for (const r of rows) {
      const score = staticScore(r, this.probabilities);
      if (Math.abs(score - r.static_score) < 1e-9) continue;
      // Other probabilities can lower the score: the floor is taken anew with them.
      await this.deps.db
        .updateTable("csm_tasks")
        .set({
          static_score: score,
          floor_score: currentRawScore(r, now, this.probabilities),
          floor_at: now.toISOString(),
        })
        .where("id", "=", r.id)
        .execute();
      changed++;
    }
    if (changed > 0) this.deps.log.info({ tasks: changed }, "task static scores re-derived");
  }

  // --- creation ----------------------------------------------------------------------------------------

  /** Run the generation rules over the book (or some customers / one CSM's customers). */
  async generate(opts: GenerateOptions = {}): Promise<GenerateResult> {
    const catalog = await this.catalog();
    const now = this.now();
    await this.wakeSnoozed();
    const result = await generateTasks(
      {
        db: this.deps.db,
        records: this.deps.records,
        now,
        catalog,
        probabilities: this.probabilities,
        estimate: this.estimateContext(),
        insert: (task) => this.insert(task, now),
      },
      opts,
    );
    await this.refreshScoreFloors();
    this.deps.log.info(
      { created: result.tasks_created, skipped: result.tasks_skipped, reasons: result.skipped_reasons },
      "task generation finished",
    );
    return result;
  }

  /**
   * Create one task for a customer (the playbook engine, event rules). Never a second open task of one
   * type for one customer: then `created` is false and `task` is the one that exists.
   */
  async createTask(input: CreateTaskInput): Promise<{ task: CsmTask; created: boolean }> {
    if (!isTaskTypeSlug(input.task_type)) {
      throw new QueueInputError(`unknown task type "${input.task_type}"`, "task_type");
    }
    const catalog = await this.catalog();
    const type = catalog.typeBySlug.get(input.task_type)!;
    const account = await this.deps.records.getAccount(input.customer_id);
    if (!account) throw new QueueInputError(`customer ${input.customer_id} not found`, "customer_id");
    const csmId = input.csm_id ?? account.csm_owner;
    if (!csmId) {
      throw new QueueInputError(`customer ${account.id} has no csm_owner; pass csm_id`, "csm_id");
    }
    const now = this.now();
    if (input.due_date !== undefined && Number.isNaN(Date.parse(input.due_date))) {
      throw new QueueInputError("due_date must be an ISO-8601 date-time", "due_date");
    }
    const tickets = account.churn_risk === null ? await this.deps.records.listTickets(account.id) : [];
    const churn = churnLevelFor(account, {
      ...this.estimateContext(),
      now,
      openTickets: tickets.filter((t) => t.status === "Open" || t.status === "Pending").length,
      fallingFast: false,
    });
    const result = await this.insert(
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
    return { task: toTask(result.row, now, this.probabilities), created: result.created };
  }

  private async insert(task: NewTask, now: Date): Promise<InsertResult> {
    const result = await insertTask(this.deps.db, task, now, this.probabilities);
    if (result.created) {
      await this.deps.bus.publish("task.created", {
        source: SOURCE,
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

  private estimateContext() {
    return {
      thresholds: { green: this.deps.config.RAG_GREEN_MIN, amber: this.deps.config.RAG_AMBER_MIN },
      weights: this.deps.config.CSM_HEALTH_WEIGHTS,
    };
  }

  // --- reading -----------------------------------------------------------------------------------------

  /** A CSM's queue: visible open tasks by current priority score, cursor-paginated. */
  async list(
    filters: QueueFilters,
    opts: { limit?: number; cursor?: string | null } = {},
  ): Promise<QueuePage> {
    await this.catalog();
    return readQueue(this.deps.db, filters, {
      limit: opts.limit ?? 50,
      cursor: opts.cursor ?? null,
      now: this.now(),
      probabilities: this.probabilities,
    });
  }

  /** One task as it stands now (status, score). */
  async get(id: number, actor?: Actor): Promise<CsmTask> {
    const row = await this.row(id);
    authorize(row, actor);
    return toTask(row, this.now(), this.probabilities);
  }

  private async row(id: number): Promise<TaskRow> {
    const row = await this.deps.db
      .selectFrom("csm_tasks")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    if (!row) throw new TaskNotFoundError(id);
    return row;
  }

  /** A task with its type, call playbook, customer context and outcome history (seed §2.1). */
  async detail(id: number, actor?: Actor): Promise<TaskDetail> {
    const catalog = await this.catalog();
    const row = await this.row(id);
    authorize(row, actor);
    const now = this.now();
    const task = toTask(row, now, this.probabilities);
    const type = catalog.typeBySlug.get(task.task_type) ?? catalog.typeById.get(row.task_type_id)!;
    const playbook =
      (row.playbook_id !== null ? catalog.playbookById.get(row.playbook_id) : undefined) ??
      catalog.playbookBySlug.get(task.task_type) ??
      null;
    const outcomes = (
      await this.deps.db
        .selectFrom("csm_task_outcomes")
        .selectAll()
        .where("customer_id", "=", row.customer_id)
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(50)
        .execute()
    ).map((o) => ({ ...toOutcome(o), task_type: o.task_type }));
    const account = await this.deps.records.getAccount(row.customer_id);
    let customer: TaskDetail["customer"] = null;
    if (account) {
      const [tickets, health] = await Promise.all([
        this.deps.records.listTickets(account.id),
        this.deps.db
          .selectFrom("health_history")
          .select(["at", "score", "rag", "detail"])
          .where("account_id", "=", account.id)
          .orderBy("at", "desc")
          .limit(26)
          .execute(),
      ]);
      const chronological = [...health].reverse();
      const breakdown = health.find((h) => h.detail)?.detail;
      customer = {
        ...account,
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
      priority_breakdown: currentBreakdown(row, now, this.probabilities),
      allowed_actions: allowedActions(task.status),
    };
  }

  // --- lifecycle ---------------------------------------------------------------------------------------

  async start(id: number, actor?: Actor): Promise<CsmTask> {
    return this.move(id, actor, { action: "start", set: (_r, at) => ({ started_at: at }) });
  }

  /** Validate the quality gates, save the outcome, take the task out of the queue (seed §2.1). */
  async complete(
    id: number,
    input: CompleteInput,
    actor?: Actor,
  ): Promise<{ task: CsmTask; outcome: TaskOutcome }> {
    const catalog = await this.catalog();
    const answers = input.quality_gates ?? {};
    const nextDate = input.next_action?.date
      ? this.isoOrThrow(input.next_action.date, "next_action.date")
      : null;
    const { task, outcome } = await this.moveWithOutcome(id, actor, {
      action: "complete",
      check: (row) => {
        const gates = catalog.typeBySlug.get(row.task_type as TaskTypeSlug)?.quality_gates ?? [];
        const verdict = validateGateAnswers(gates, answers);
        if (!verdict.ok) throw new GateValidationError(row.id, verdict.errors);
      },
      set: (_row, at) => ({
        outcome_type: "completed",
        outcome_notes: input.notes ?? null,
        sentiment: input.sentiment ?? null,
        next_action: input.next_action?.notes ?? null,
        next_action_date: nextDate,
        quality_gates_completed: JSON.stringify(answers),
        completed_at: at,
      }),
      outcome: (row, at) => ({
        action: "complete",
        outcome_type: input.outcome_type ?? "completed",
        objective_achieved: input.objective_achieved,
        blocker_reason: input.blocker_reason ?? null,
        sentiment: input.sentiment ?? null,
        next_action_required: input.next_action ? 1 : 0,
        next_action_date: nextDate,
        next_action_notes: input.next_action?.notes ?? null,
        quality_gate_responses: JSON.stringify(answers),
        notes: input.notes ?? "",
        channel: input.channel ?? "call",
        csm_id: row.csm_id,
        customer_id: row.customer_id,
        task_type: row.task_type,
        arr: row.arr,
        created_at: at,
        metadata: JSON.stringify(completionMetadata(parseJson(row.metadata, {}))),
      }),
    });
    await this.deps.bus.publish("task.completed", {
      source: SOURCE,
      account_id: task.customer_id,
      payload: {
        task_id: String(task.id),
        task_type: task.task_type,
        csm_id: task.csm_id,
        outcome_type: outcome.outcome_type,
        objective_achieved: outcome.objective_achieved,
      },
    });
    return { task, outcome };
  }

  async reschedule(
    id: number,
    input: { new_due_date: string; reason: string },
    actor?: Actor,
  ): Promise<{ task: CsmTask; outcome: TaskOutcome }> {
    const due = this.futureOrThrow(input.new_due_date, "new_due_date");
    let previous = "";
    const result = await this.moveWithOutcome(id, actor, {
      action: "reschedule",
      set: (row, at) => {
        previous = row.due_date;
        return {
          due_date: due,
          // A later due date lowers the score: the floor is taken anew.
          floor_score: currentRawScore({ ...row, due_date: due }, new Date(at), this.probabilities),
          floor_at: at,
          outcome_type: "rescheduled",
          outcome_notes: input.reason,
        };
      },
      outcome: (row, at) => ({
        ...actionOutcome(row, at, "reschedule", "rescheduled", input.reason),
        next_action_required: 1,
        next_action_date: due,
        metadata: JSON.stringify({ previous_due_date: row.due_date, new_due_date: due }),
      }),
    });
    await this.deps.bus.publish("task.rescheduled", {
      source: SOURCE,
      account_id: result.task.customer_id,
      payload: { task_id: String(id), due_date: due, previous_due_date: previous, reason: input.reason },
    });
    return result;
  }

  async escalate(
    id: number,
    input: { reason: string; escalate_to?: string | null | undefined },
    actor?: Actor,
  ): Promise<{ task: CsmTask; outcome: TaskOutcome }> {
    const to = input.escalate_to ?? null;
    const result = await this.moveWithOutcome(id, actor, {
      action: "escalate",
      set: (row) => ({
        outcome_type: "escalated",
        outcome_notes: input.reason,
        metadata: JSON.stringify({ ...parseJson(row.metadata, {}), escalated_to: to }),
      }),
      outcome: (row, at) => ({
        ...actionOutcome(row, at, "escalate", "escalated", input.reason),
        metadata: JSON.stringify({ escalate_to: to }),
      }),
    });
    await this.deps.bus.publish("task.escalated", {
      source: SOURCE,
      account_id: result.task.customer_id,
      payload: { task_id: String(id), reason: input.reason, escalated_to: to },
    });
    return result;
  }

  async snooze(
    id: number,
    input: { snooze_until: string; reason?: string | undefined },
    actor?: Actor,
  ): Promise<CsmTask> {
    const until = this.futureOrThrow(input.snooze_until, "snooze_until");
    return this.move(id, actor, {
      action: "snooze",
      set: (row) => ({
        snooze_until: until,
        metadata: JSON.stringify({ ...parseJson(row.metadata, {}), snooze_reason: input.reason ?? null }),
      }),
    });
  }

  async block(
    id: number,
    input: { reason: string },
    actor?: Actor,
  ): Promise<{ task: CsmTask; outcome: TaskOutcome }> {
    return this.moveWithOutcome(id, actor, {
      action: "block",
      set: () => ({ outcome_type: "blocked", outcome_notes: input.reason }),
      outcome: (row, at) => ({
        ...actionOutcome(row, at, "block", "blocked", input.reason),
        blocker_reason: input.reason,
      }),
    });
  }

  async cancel(
    id: number,
    input: { reason: string },
    actor?: Actor,
  ): Promise<{ task: CsmTask; outcome: TaskOutcome }> {
    return this.moveWithOutcome(id, actor, {
      action: "cancel",
      set: () => ({ outcome_type: "cancelled", outcome_notes: input.reason }),
      outcome: (row, at) => actionOutcome(row, at, "cancel", "cancelled", input.reason),
    });
  }

  /** Snoozed tasks whose snooze_until has passed go back to pending. */
  async wakeSnoozed(): Promise<number> {
    const woken = await wakeExpired(this.deps.db, this.now().toISOString());
    for (const t of woken) await this.publishStatus({ ...t, from: "snoozed", to: "pending" });
    return woken.length;
  }

  private async move(id: number, actor: Actor | undefined, spec: TransitionSpec): Promise<CsmTask> {
    return (await this.runTransition(id, actor, spec)).task;
  }

  private async moveWithOutcome(
    id: number,
    actor: Actor | undefined,
    spec: TransitionSpec,
  ): Promise<{ task: CsmTask; outcome: TaskOutcome }> {
    const { task, outcome } = await this.runTransition(id, actor, spec);
    return { task, outcome: toOutcome(outcome!) };
  }

  private async runTransition(
    id: number,
    actor: Actor | undefined,
    spec: TransitionSpec,
  ): Promise<{ task: CsmTask; outcome: OutcomeRow | null }> {
    await this.catalog();
    const now = this.now();
    const r = await transition(this.deps.db, id, spec, now, actor);
    const base = { id, task_type: r.after.task_type, csm_id: r.after.csm_id };
    if (r.woke) await this.publishStatus({ ...base, from: "snoozed", to: "pending" });
    const from = r.woke ? "pending" : r.before.status;
    if (from !== r.after.status) await this.publishStatus({ ...base, from, to: r.after.status });
    return { task: toTask(r.after, now, this.probabilities), outcome: r.outcome };
  }

  private async publishStatus(t: {
    id: number;
    task_type: string;
    csm_id: string;
    from: string;
    to: string;
  }) {
    await this.deps.bus.publish("task.status_changed", {
      source: SOURCE,
      payload: { task_id: String(t.id), task_type: t.task_type, csm_id: t.csm_id, from: t.from, to: t.to },
    });
  }

  private isoOrThrow(value: string, field: string): string {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw new QueueInputError(`${field} must be an ISO-8601 date-time`, field);
    return new Date(ms).toISOString();
  }

  private futureOrThrow(value: string, field: string): string {
    const iso = this.isoOrThrow(value, field);
    if (iso <= this.now().toISOString()) throw new QueueInputError(`${field} must be in the future`, field);
    return iso;
  }

  // --- metrics -----------------------------------------------------------------------------------------

  /** A CSM's outcome metrics for the week containing `at` (default now), with the trend vs last week. */
  async weeklyOutcomes(csmId: string, at?: Date): Promise<WeeklyOutcomesView> {
    const { start, end } = weekBounds(at ?? this.now());
    const [thisWeek, lastWeek] = await this.outcomeFacts(start, end, csmId);
    return {
      csm_id: csmId,
      week_start: start.toISOString(),
      week_end: end.toISOString(),
      ...weeklyMetrics(thisWeek.get(csmId) ?? [], lastWeek.get(csmId) ?? [], this.goals),
    };
  }

  /** The manager's view: every CSM's weekly metrics, their open and overdue work, and team totals. */
  async teamView(at?: Date): Promise<TeamView> {
    const now = this.now();
    const { start, end } = weekBounds(at ?? now);
    const [thisWeek, lastWeek] = await this.outcomeFacts(start, end);
    const nowIso = now.toISOString();
    const load = await this.deps.db
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
      ...weeklyMetrics(thisWeek.get(csm_id) ?? [], lastWeek.get(csm_id) ?? [], this.goals),
      open_tasks: loadBy.get(csm_id)?.open ?? 0,
      overdue_tasks: loadBy.get(csm_id)?.overdue ?? 0,
    }));
    return {
      week_start: start.toISOString(),
      week_end: end.toISOString(),
      team: {
        ...sumMetrics(members, this.goals),
        members: members.length,
        open_tasks: members.reduce((s, m) => s + m.open_tasks, 0),
        overdue_tasks: members.reduce((s, m) => s + m.overdue_tasks, 0),
      },
      members,
    };
  }

  /** Outcome facts of this week and last week, by CSM. */
  private async outcomeFacts(
    start: Date,
    end: Date,
    csmId?: string,
  ): Promise<[Map<string, OutcomeFact[]>, Map<string, OutcomeFact[]>]> {
    const lastStart = new Date(start.getTime() - (end.getTime() - start.getTime()));
    let q = this.deps.db
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

  // --- catalogue ---------------------------------------------------------------------------------------

  async taskTypes(): Promise<TaskTypeRecord[]> {
    return (await this.catalog()).taskTypes;
  }

  /** By numeric id or slug. */
  async taskType(
    idOrSlug: string,
  ): Promise<{ task_type: TaskTypeRecord; playbook: PlaybookRecord | null } | null> {
    const c = await this.catalog();
    const type = /^\d+$/.test(idOrSlug)
      ? c.typeById.get(Number(idOrSlug))
      : isTaskTypeSlug(idOrSlug)
        ? c.typeBySlug.get(idOrSlug)
        : undefined;
    if (!type) return null;
    return { task_type: type, playbook: c.playbookBySlug.get(type.slug) ?? null };
  }

  async playbooks(): Promise<PlaybookRecord[]> {
    return (await this.catalog()).playbooks;
  }

  async playbook(id: number): Promise<PlaybookRecord | null> {
    return (await this.catalog()).playbookById.get(id) ?? null;
  }

  /** Whether the customer has an open task of the type. */
  async hasOpenTask(customerId: string, taskType: TaskTypeSlug): Promise<boolean> {
    const row = await this.deps.db
      .selectFrom("csm_tasks")
      .select("id")
      .where("customer_id", "=", customerId)
      .where("task_type", "=", taskType)
      .where(OPEN_STATUS_SQL)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** A new churn-risk level for a customer: its open tasks' priority inputs follow. */
  async refreshChurnRisk(customerId: string, level: ChurnLevel): Promise<number> {
    return refreshOpenTasks(this.deps.db, customerId, { churn_risk: level }, this.now(), this.probabilities);
  }

  /** The status a task is in now (for callers that only need that, e.g. "meeting held"). */
  async status(id: number): Promise<TaskStatus> {
    return (await this.get(id)).status;
  }
}

function actionOutcome(row: TaskRow, at: string, action: string, outcomeType: string, notes: string) {
  return {
    action,
    outcome_type: outcomeType,
    objective_achieved: null,
    blocker_reason: null,
    sentiment: null,
    next_action_required: 0,
    next_action_date: null,
    next_action_notes: null,
    quality_gate_responses: "{}",
    notes,
    channel: null,
    csm_id: row.csm_id,
    customer_id: row.customer_id,
    task_type: row.task_type,
    arr: row.arr,
    created_at: at,
    metadata: "{}",
  };
}
