/**
 * TaskQueue: the CSM task queue's one entry point. The API, the scheduler, the event subscriptions, the
 * playbook engine and the demo seeder all go through it; it delegates each job to its module:
 * creation (create.ts), the listing (queue-read.ts), single tasks (task-reads.ts), the lifecycle actions
 * (task-actions.ts), the outcome views (weekly-outcomes.ts) and the catalogue (catalog-store.ts).
 *
 * Tasks, outcomes and the catalogue live in the store; customer data is read through the records port.
 * Priority scores are computed when read (scoring.ts, ranking.ts), so overdue tasks climb on their own.
 */

import { localDay } from "../domain/local-day.js";
import type { TaskTypeSlug } from "../domain/tasks/catalog-schema.js";
import type { TaskStatus } from "../domain/tasks/state-machine.js";
import type { ChurnLevel } from "../domain/types.js";
import {
  type CatalogIndex,
  findTaskType,
  type PlaybookRecord,
  syncCatalog,
  type TaskTypeRecord,
} from "./catalog-store.js";
import type { QueueContext, TaskQueueDeps } from "./context.js";
import { type CreateTaskInput, createTask, generate } from "./create.js";
import type { GenerateOptions, GenerateResult } from "./generator.js";
import { countTasks, type HistoryTask, importHistory } from "./history-import.js";
import type { WeeklyGoals } from "./metrics.js";
import { type QueueFilters, type QueuePage, readQueue } from "./queue-read.js";
import { type QueueSummary, queueSummary } from "./queue-summary.js";
import { type ChurnProbabilities, resolveChurnProbabilities } from "./scoring.js";
import {
  handleQueueEvent,
  QUEUE_EVENT_TYPES,
  QUEUE_SUBSCRIBER,
  type QueueTriggers,
} from "./subscriptions.js";
import {
  blockTask,
  type CompleteInput,
  cancelTask,
  completeTask,
  escalateTask,
  rescheduleTask,
  snoozeTask,
  startTask,
  wakeSnoozed,
} from "./task-actions.js";
import { getTask, hasOpenTask, type TaskDetail, taskDetail } from "./task-reads.js";
import { refreshOpenTasks, refreshScoreFloors, restoreStaticScores } from "./task-writer.js";
import type { Actor, CsmTask, TaskOutcome } from "./types.js";
import { type TeamView, teamView, type WeeklyOutcomesView, weeklyOutcomes } from "./weekly-outcomes.js";

/** Floors younger than this are left alone by a refresh (a generation run called twice in a row). */
const FLOOR_MAX_AGE_MS = 60 * 60 * 1000;

type WithOutcome = { task: CsmTask; outcome: TaskOutcome };

export class TaskQueue {
  readonly probabilities: ChurnProbabilities;
  private catalogReady: Promise<CatalogIndex> | null = null;
  private readonly goals: WeeklyGoals;
  private readonly ctx: QueueContext;

  constructor(private readonly deps: TaskQueueDeps) {
    this.probabilities = resolveChurnProbabilities(deps.config.QUEUE_CHURN_PROBABILITIES);
    this.goals = {
      onboarding_completions: deps.config.QUEUE_WEEKLY_GOAL_ONBOARDING_COMPLETIONS,
      at_risk_saves: deps.config.QUEUE_WEEKLY_GOAL_AT_RISK_SAVES,
    };
    this.ctx = { ...deps, probabilities: this.probabilities, catalog: () => this.catalog() };
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

  // --- boot and upkeep ---------------------------------------------------------------------------------

  /**
   * Boot: sync the catalogue, re-derive static scores when the churn probabilities were reconfigured,
   * and take old score floors anew.
   */
  async onStart(): Promise<void> {
    await this.catalog();
    const changed = await restoreStaticScores(this.deps.db, this.now(), this.probabilities);
    if (changed > 0) this.deps.log.info({ tasks: changed }, "task static scores re-derived");
    await this.refreshScoreFloors();
  }

  /** Register the durable event subscription (before bus.start). */
  subscribe(): void {
    const triggers: QueueTriggers = {
      createTask: (input) => this.createTask(input),
      hasOpenTask: (customerId, taskType) => this.hasOpenTask(customerId, taskType),
      refreshChurnRisk: (customerId, level) => this.refreshChurnRisk(customerId, level),
    };
    this.deps.bus.durable(QUEUE_SUBSCRIBER, QUEUE_EVENT_TYPES, (event) => handleQueueEvent(triggers, event));
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

  /** A new churn-risk level for a customer: its open tasks' priority inputs follow. */
  async refreshChurnRisk(customerId: string, level: ChurnLevel): Promise<number> {
    return refreshOpenTasks(this.deps.db, customerId, { churn_risk: level }, this.now(), this.probabilities);
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

  // --- creation ----------------------------------------------------------------------------------------

  /** Run the generation rules over the book (or some customers / one CSM's customers). */
  async generate(opts: GenerateOptions = {}): Promise<GenerateResult> {
    await this.catalog();
    await this.wakeSnoozed();
    const result = await generate(this.ctx, opts);
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
  createTask(input: CreateTaskInput): Promise<{ task: CsmTask; created: boolean }> {
    return createTask(this.ctx, input);
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

  /** Today's counts of a CSM's queue; "today" is the local day in `timeZone` (an IANA zone). */
  async summary(csmId: string, timeZone: string): Promise<QueueSummary> {
    const now = this.now();
    return queueSummary(this.deps.db, csmId, now, localDay(now, timeZone));
  }

  /** One task as it stands now (status, score). */
  get(id: number, actor?: Actor): Promise<CsmTask> {
    return getTask(this.ctx, id, actor);
  }

  /** A task with its type, call playbook, customer context and outcome history. */
  detail(id: number, actor?: Actor): Promise<TaskDetail> {
    return taskDetail(this.ctx, id, actor);
  }

  /** The status a task is in now (for callers that only need that, e.g. "meeting held"). */
  async status(id: number): Promise<TaskStatus> {
    return (await this.get(id)).status;
  }

  /** Whether the customer has an open task of the type. */
  hasOpenTask(customerId: string, taskType: TaskTypeSlug): Promise<boolean> {
    return hasOpenTask(this.ctx, customerId, taskType);
  }

  // --- lifecycle ---------------------------------------------------------------------------------------

  start(id: number, actor?: Actor): Promise<CsmTask> {
    return startTask(this.ctx, id, actor);
  }

  /** Validate the quality gates, save the outcome, take the task out of the queue. */
  complete(id: number, input: CompleteInput, actor?: Actor): Promise<WithOutcome> {
    return completeTask(this.ctx, id, input, actor);
  }

  reschedule(
    id: number,
    input: { new_due_date: string; reason: string },
    actor?: Actor,
  ): Promise<WithOutcome> {
    return rescheduleTask(this.ctx, id, input, actor);
  }

  escalate(
    id: number,
    input: { reason: string; escalate_to?: string | null | undefined },
    actor?: Actor,
  ): Promise<WithOutcome> {
    return escalateTask(this.ctx, id, input, actor);
  }

  snooze(
    id: number,
    input: { snooze_until: string; reason?: string | undefined },
    actor?: Actor,
  ): Promise<CsmTask> {
    return snoozeTask(this.ctx, id, input, actor);
  }

  block(id: number, input: { reason: string }, actor?: Actor): Promise<WithOutcome> {
    return blockTask(this.ctx, id, input, actor);
  }

  cancel(id: number, input: { reason: string }, actor?: Actor): Promise<WithOutcome> {
    return cancelTask(this.ctx, id, input, actor);
  }

  /** Snoozed tasks whose snooze_until has passed go back to pending. */
  wakeSnoozed(): Promise<number> {
    return wakeSnoozed(this.ctx);
  }

  // --- outcomes ----------------------------------------------------------------------------------------

  /** A CSM's outcome metrics for the week containing `at` (default now), with the trend vs last week. */
  weeklyOutcomes(csmId: string, at?: Date): Promise<WeeklyOutcomesView> {
    return weeklyOutcomes(this.deps.db, this.goals, csmId, at ?? this.now());
  }

  /** The manager's view: every CSM's weekly metrics, their open and overdue work, and team totals. */
  teamView(at?: Date): Promise<TeamView> {
    const now = this.now();
    return teamView(this.deps.db, this.goals, at ?? now, now);
  }

  // --- catalogue ---------------------------------------------------------------------------------------

  async taskTypes(): Promise<TaskTypeRecord[]> {
    return (await this.catalog()).taskTypes;
  }

  /** By numeric id or slug. */
  async taskType(
    idOrSlug: string,
  ): Promise<{ task_type: TaskTypeRecord; playbook: PlaybookRecord | null } | null> {
    return findTaskType(await this.catalog(), idOrSlug);
  }

  async playbooks(): Promise<PlaybookRecord[]> {
    return (await this.catalog()).playbooks;
  }

  async playbook(id: number): Promise<PlaybookRecord | null> {
    return (await this.catalog()).playbookById.get(id) ?? null;
  }
}
