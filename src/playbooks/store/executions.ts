import { randomUUID } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { Clock } from "../../clock.js";
import { parseJson } from "../../store/db.js";
import type { Database, PlaybookExecutionsTable } from "../../store/schema.js";
import type { Definition } from "../schema/definition.js";
import { type ExecutionStatus, FINISHED_STATUSES } from "../schema/statuses.js";
import { insertPendingSteps } from "./steps.js";

/**
 * Executions in the store. Every status change is a compare-and-set (`from` statuses in the WHERE
 * clause), so a node that runs again after a crash, or two callers racing, change a status once and
 * publish its event once.
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

export interface NewExecution {
  playbook_id: string;
  account_id: string;
  snapshot: Definition;
  trigger: TriggerInfo;
  contact_email: string | null;
  account_snapshot: AccountSnapshot;
  started_by: string | null;
}

export class ExecutionRepo {
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
      await insertPendingSteps(trx, id, input.snapshot.steps);
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

  /** The paused executions this one preempted (they carry on when it finishes). */
  async preemptedBy(id: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom("playbook_executions")
      .select("id")
      .where("preempted_by", "=", id)
      .where("status", "=", "paused")
      .execute();
    return rows.map((r) => r.id);
  }
}
