import { randomUUID } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { Clock } from "../../clock.js";
import { parseJson } from "../../store/db.js";
import type {
  ApprovalsTable,
  Database,
  PlaybookExecutionsTable,
  PlaybookStepExecutionsTable,
} from "../../store/schema.js";
import type { Definition } from "../schema/definition.js";
import {
  type ApprovalDecision,
  type ApprovalStatus,
  type ExecutionStatus,
  FINISHED_STATUSES,
  type StepStatus,
} from "../schema/statuses.js";

/**
 * Executions, their steps and approvals in the store. Every status change is a compare-and-set
 * (`from` statuses in the WHERE clause), so a node that runs again after a crash, or two callers
 * racing, change a status once and publish its event once.
 */

export interface ExecutionFlags {
  response_received?: boolean;
  meeting_held?: boolean;
}

export type TriggerType = "manual" | "time" | "event" | "condition";

export interface TriggerInfo {
  type: TriggerType;
  /** What fired: the trigger spec, the event id, the anchor date, the condition's facts. */
  detail?: Record<string, unknown>;
}

/** The account at the start, for outcome correlation (did it renew or churn afterwards?). */
export interface AccountSnapshot {
  status: string | null;
  renewal_date: string | null;
  health_score: number | null;
}

export interface Execution {
  execution_id: string;
  playbook_id: string;
  account_id: string;
  status: ExecutionStatus;
  snapshot: Definition;
  trigger: TriggerInfo;
  priority: number;
  current_step_id: string | null;
  wake_at: string | null;
  flags: ExecutionFlags;
  contact_email: string | null;
  paused_status: ExecutionStatus | null;
  preempted_by: string | null;
  end_reason: string | null;
  account_snapshot: AccountSnapshot;
  started_by: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface StepExecution {
  execution_id: string;
  step_id: string;
  position: number;
  step_type: string;
  status: StepStatus;
  attempts: number;
  started_at: string | null;
  finished_at: string | null;
  wake_at: string | null;
  output: Record<string, unknown> | null;
  error: string | null;
  approval_id: string | null;
  branch: string | null;
}

export interface Approval {
  approval_id: string;
  execution_id: string;
  step_id: string;
  playbook_id: string;
  account_id: string;
  status: ApprovalStatus;
  /** The step as it will run, rendered for this customer: what the approver reviews. */
  request: Record<string, unknown>;
  decision: ApprovalDecision | null;
  edits: Record<string, unknown> | null;
  comment: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
}

const toExecution = (r: Selectable<PlaybookExecutionsTable>): Execution => ({
  execution_id: r.id,
  playbook_id: r.playbook_id,
  account_id: r.account_id,
  status: r.status as ExecutionStatus,
  snapshot: JSON.parse(r.snapshot) as Definition,
  trigger: parseJson<TriggerInfo>(r.trigger, { type: r.trigger_type as TriggerType }),
  priority: r.priority,
  current_step_id: r.current_step_id,
  wake_at: r.wake_at,
  flags: parseJson<ExecutionFlags>(r.flags, {}),
  contact_email: r.contact_email,
  paused_status: r.paused_status as ExecutionStatus | null,
  preempted_by: r.preempted_by,
  end_reason: r.end_reason,
  account_snapshot: parseJson<AccountSnapshot>(r.account_snapshot, {
    status: null,
    renewal_date: null,
    health_score: null,
  }),
  started_by: r.started_by,
  created_at: r.created_at,
  updated_at: r.updated_at,
  finished_at: r.finished_at,
});

const toStep = (r: Selectable<PlaybookStepExecutionsTable>): StepExecution => ({
  ...r,
  status: r.status as StepStatus,
  output: parseJson<Record<string, unknown> | null>(r.output, null),
});

const toApproval = (r: Selectable<ApprovalsTable>): Approval => ({
  approval_id: r.id,
  execution_id: r.execution_id,
  step_id: r.step_id,
  playbook_id: r.playbook_id,
  account_id: r.account_id,
  status: r.status as ApprovalStatus,
  request: parseJson<Record<string, unknown>>(r.request, {}),
  decision: r.decision as ApprovalDecision | null,
  edits: parseJson<Record<string, unknown> | null>(r.edits, null),
  comment: r.comment,
  decided_by: r.decided_by,
  decided_at: r.decided_at,
  created_at: r.created_at,
});

export interface NewExecution {
  playbook_id: string;
  account_id: string;
  snapshot: Definition;
  trigger: TriggerInfo;
  contact_email: string | null;
  account_snapshot: AccountSnapshot;
  started_by: string | null;
}

export class ExecutionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return this.clock.now().toISOString();
  }

  /**
   * Insert an execution and its step rows, unless this playbook is already active for this customer
   * (the partial unique index decides, so two concurrent starts give one execution).
   */
  async insert(input: NewExecution): Promise<{ execution: Execution; created: boolean }> {
    const id = `pbx_${randomUUID()}`;
    const now = this.now();
    const created = await this.db.transaction().execute(async (trx) => {
      const res = await trx
        .insertInto("playbook_executions")
        .values({
          id,
          playbook_id: input.playbook_id,
          account_id: input.account_id,
          status: "running",
          snapshot: JSON.stringify(input.snapshot),
          trigger_type: input.trigger.type,
          trigger: JSON.stringify(input.trigger),
          priority: input.snapshot.priority,
          current_step_id: input.snapshot.steps[0]?.id ?? null,
          wake_at: null,
          flags: "{}",
          contact_email: input.contact_email,
          paused_status: null,
          preempted_by: null,
          end_reason: null,
          account_snapshot: JSON.stringify(input.account_snapshot),
          started_by: input.started_by,
          created_at: now,
          updated_at: now,
          finished_at: null,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) return false;
      await trx
        .insertInto("playbook_step_executions")
        .values(
          input.snapshot.steps.map((s, position) => ({
            execution_id: id,
            step_id: s.id,
            position,
            step_type: s.type,
            status: "pending",
            attempts: 0,
            started_at: null,
            finished_at: null,
            wake_at: null,
            output: null,
            error: null,
            approval_id: null,
            branch: null,
          })),
        )
        .execute();
      return true;
    });
    if (created) return { execution: (await this.get(id))!, created: true };
    const active = await this.active(input.playbook_id, input.account_id);
    if (!active) throw new Error("execution insert conflicted but no active execution was found");
    return { execution: active, created: false };
  }

  async get(id: string): Promise<Execution | null> {
    const row = await this.db
      .selectFrom("playbook_executions")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? toExecution(row) : null;
  }

  async active(playbookId: string, accountId: string): Promise<Execution | null> {
    const row = await this.db
      .selectFrom("playbook_executions")
      .selectAll()
      .where("playbook_id", "=", playbookId)
      .where("account_id", "=", accountId)
      .where("finished_at", "is", null)
      .executeTakeFirst();
    return row ? toExecution(row) : null;
  }

  async activeForAccount(accountId: string): Promise<Execution[]> {
    const rows = await this.db
      .selectFrom("playbook_executions")
      .selectAll()
      .where("account_id", "=", accountId)
      .where("finished_at", "is", null)
      .orderBy("created_at")
      .execute();
    return rows.map(toExecution);
  }

  async list(opts: {
    account_id?: string;
    playbook_id?: string;
    status?: ExecutionStatus[];
    active?: boolean;
    before?: string;
    limit?: number;
  }): Promise<Execution[]> {
    let q = this.db
      .selectFrom("playbook_executions")
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(opts.limit ?? 50);
    if (opts.account_id) q = q.where("account_id", "=", opts.account_id);
    if (opts.playbook_id) q = q.where("playbook_id", "=", opts.playbook_id);
    if (opts.status && opts.status.length > 0) q = q.where("status", "in", opts.status);
    if (opts.active === true) q = q.where("finished_at", "is", null);
    if (opts.active === false) q = q.where("finished_at", "is not", null);
    if (opts.before) q = q.where("created_at", "<", opts.before);
    return (await q.execute()).map(toExecution);
  }

  /** Unfinished executions in the given statuses (recovery, ticks). */
  async unfinished(statuses: ExecutionStatus[] = ["running", "waiting", "awaiting_approval", "paused"]) {
    const rows = await this.db
      .selectFrom("playbook_executions")
      .selectAll()
      .where("finished_at", "is", null)
      .where("status", "in", statuses)
      .orderBy("created_at")
      .execute();
    return rows.map(toExecution);
  }

  async dueWaits(now: string, limit = 500): Promise<string[]> {
    const rows = await this.db
      .selectFrom("playbook_executions")
      .select("id")
      .where("status", "=", "waiting")
      .where("wake_at", "<=", now)
      .orderBy("wake_at")
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Compare-and-set the execution status; true when this call changed it. */
  async transition(
    id: string,
    from: readonly ExecutionStatus[],
    to: ExecutionStatus,
    extra: Partial<{
      wake_at: string | null;
      paused_status: ExecutionStatus | null;
      preempted_by: string | null;
      end_reason: string | null;
      current_step_id: string | null;
    }> = {},
  ): Promise<boolean> {
    const now = this.now();
    const res = await this.db
      .updateTable("playbook_executions")
      .set({
        status: to,
        updated_at: now,
        ...extra,
        ...(FINISHED_STATUSES.includes(to) ? { finished_at: now, wake_at: null } : {}),
      })
      .where("id", "=", id)
      .where("status", "in", [...from])
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async setCursor(id: string, stepId: string | null): Promise<void> {
    await this.db
      .updateTable("playbook_executions")
      .set({ current_step_id: stepId, updated_at: this.now() })
      .where("id", "=", id)
      .execute();
  }

  async setFlags(id: string, flags: ExecutionFlags): Promise<void> {
    const current = await this.get(id);
    if (!current) return;
    await this.db
      .updateTable("playbook_executions")
      .set({ flags: JSON.stringify({ ...current.flags, ...flags }), updated_at: this.now() })
      .where("id", "=", id)
      .execute();
  }

  // --- steps -----------------------------------------------------------------------------------------------

  async steps(executionId: string): Promise<StepExecution[]> {
    const rows = await this.db
      .selectFrom("playbook_step_executions")
      .selectAll()
      .where("execution_id", "=", executionId)
      .orderBy("position")
      .execute();
    return rows.map(toStep);
  }

  async step(executionId: string, stepId: string): Promise<StepExecution | null> {
    const row = await this.db
      .selectFrom("playbook_step_executions")
      .selectAll()
      .where("execution_id", "=", executionId)
      .where("step_id", "=", stepId)
      .executeTakeFirst();
    return row ? toStep(row) : null;
  }

  /** Compare-and-set a step's status; true when this call changed it. */
  async stepTransition(
    executionId: string,
    stepId: string,
    from: readonly StepStatus[],
    to: StepStatus,
    extra: Partial<{
      output: Record<string, unknown> | null;
      error: string | null;
      wake_at: string | null;
      approval_id: string | null;
      branch: string | null;
    }> = {},
  ): Promise<boolean> {
    const now = this.now();
    const { output, ...rest } = extra;
    const terminal = to === "completed" || to === "failed" || to === "skipped";
    const res = await this.db
      .updateTable("playbook_step_executions")
      .set((eb) => ({
        status: to,
        ...rest,
        ...(output !== undefined ? { output: output === null ? null : JSON.stringify(output) } : {}),
        // A step skipped here was reached (rejected, or a wait with no date); steps never reached are
        // skipped by skipRemaining, which leaves started_at empty.
        started_at: eb.fn.coalesce("started_at", eb.val(now)),
        ...(terminal ? { finished_at: now } : {}),
      }))
      .where("execution_id", "=", executionId)
      .where("step_id", "=", stepId)
      .where("status", "in", [...from])
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async setStepAttempts(executionId: string, stepId: string, attempts: number, error: string | null) {
    await this.db
      .updateTable("playbook_step_executions")
      .set({ attempts, error })
      .where("execution_id", "=", executionId)
      .where("step_id", "=", stepId)
      .execute();
  }

  /** Mark every step still pending, waiting or awaiting approval as skipped; returns their ids. */
  async skipRemaining(executionId: string): Promise<string[]> {
    const open = await this.db
      .selectFrom("playbook_step_executions")
      .select("step_id")
      .where("execution_id", "=", executionId)
      .where("status", "in", ["pending", "waiting", "awaiting_approval"])
      .orderBy("position")
      .execute();
    if (open.length === 0) return [];
    await this.db
      .updateTable("playbook_step_executions")
      .set({ status: "skipped", finished_at: this.now() })
      .where("execution_id", "=", executionId)
      .where("status", "in", ["pending", "waiting", "awaiting_approval"])
      .execute();
    return open.map((r) => r.step_id);
  }

  // --- approvals -------------------------------------------------------------------------------------------

  /** One approval per step of an execution: a second call returns the first (created false). */
  async requestApproval(input: {
    execution_id: string;
    step_id: string;
    playbook_id: string;
    account_id: string;
    request: Record<string, unknown>;
  }): Promise<{ approval: Approval; created: boolean }> {
    const id = `apr_${randomUUID()}`;
    const res = await this.db
      .insertInto("approvals")
      .values({
        id,
        execution_id: input.execution_id,
        step_id: input.step_id,
        playbook_id: input.playbook_id,
        account_id: input.account_id,
        status: "pending",
        request: JSON.stringify(input.request),
        decision: null,
        edits: null,
        comment: null,
        decided_by: null,
        decided_at: null,
        created_at: this.now(),
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    const approval = (await this.approvalFor(input.execution_id, input.step_id))!;
    return { approval, created: Number(res.numInsertedOrUpdatedRows ?? 0) > 0 };
  }

  async approval(id: string): Promise<Approval | null> {
    const row = await this.db.selectFrom("approvals").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toApproval(row) : null;
  }

  async approvalFor(executionId: string, stepId: string): Promise<Approval | null> {
    const row = await this.db
      .selectFrom("approvals")
      .selectAll()
      .where("execution_id", "=", executionId)
      .where("step_id", "=", stepId)
      .executeTakeFirst();
    return row ? toApproval(row) : null;
  }

  async approvals(opts: {
    status?: ApprovalStatus;
    account_id?: string;
    execution_id?: string;
    limit?: number;
  }): Promise<Approval[]> {
    let q = this.db
      .selectFrom("approvals")
      .selectAll()
      .orderBy("created_at")
      .orderBy("id")
      .limit(opts.limit ?? 100);
    if (opts.status) q = q.where("status", "=", opts.status);
    if (opts.account_id) q = q.where("account_id", "=", opts.account_id);
    if (opts.execution_id) q = q.where("execution_id", "=", opts.execution_id);
    return (await q.execute()).map(toApproval);
  }

  /** Decide a pending approval; false when it was no longer pending (someone else decided first). */
  async decide(
    id: string,
    decision: {
      decision: ApprovalDecision;
      edits: Record<string, unknown> | null;
      comment: string | null;
      by: string;
    },
  ): Promise<boolean> {
    const status: ApprovalStatus =
      decision.decision === "approve" ? "approved" : decision.decision === "reject" ? "rejected" : "edited";
    const res = await this.db
      .updateTable("approvals")
      .set({
        status,
        decision: decision.decision,
        edits: decision.edits ? JSON.stringify(decision.edits) : null,
        comment: decision.comment,
        decided_by: decision.by,
        decided_at: this.now(),
      })
      .where("id", "=", id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  async cancelApprovals(executionId: string): Promise<void> {
    await this.db
      .updateTable("approvals")
      .set({ status: "cancelled", decided_at: this.now() })
      .where("execution_id", "=", executionId)
      .where("status", "=", "pending")
      .execute();
  }
}
