import type { Kysely, Selectable } from "kysely";
import type { Clock } from "../../clock.js";
import { parseJson } from "../../store/db.js";
import type { Database, PlaybookStepExecutionsTable } from "../../store/schema.js";
import type { StepStatus } from "../schema/statuses.js";
import type { Step } from "../schema/steps.js";

/**
 * One row per step of an execution, created with the execution. Every status change is a
 * compare-and-set, so a node that runs again after a crash changes a step once.
 */

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

export type StepUpdate = Partial<{
  output: Record<string, unknown> | null;
  error: string | null;
  wake_at: string | null;
  approval_id: string | null;
  branch: string | null;
}>;

const toStep = (r: Selectable<PlaybookStepExecutionsTable>): StepExecution => ({
  ...r,
  status: r.status as StepStatus,
  output: parseJson<Record<string, unknown> | null>(r.output, null),
});

const OPEN: StepStatus[] = ["pending", "waiting", "awaiting_approval"];

/** The pending rows of a new execution's steps (in the transaction that creates the execution). */
export async function insertPendingSteps(db: Kysely<Database>, executionId: string, steps: Step[]) {
  await db
    .insertInto("playbook_step_executions")
    .values(
      steps.map((s, position) => ({
        execution_id: executionId,
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
}

export class StepRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return this.clock.now().toISOString();
  }

  /** An execution's steps, in template order. */
  async list(executionId: string): Promise<StepExecution[]> {
    const rows = await this.db
      .selectFrom("playbook_step_executions")
      .selectAll()
      .where("execution_id", "=", executionId)
      .orderBy("position")
      .execute();
    return rows.map(toStep);
  }

  async get(executionId: string, stepId: string): Promise<StepExecution | null> {
    const row = await this.db
      .selectFrom("playbook_step_executions")
      .selectAll()
      .where("execution_id", "=", executionId)
      .where("step_id", "=", stepId)
      .executeTakeFirst();
    return row ? toStep(row) : null;
  }

  /** Compare-and-set a step's status; true when this call changed it. */
  async transition(
    executionId: string,
    stepId: string,
    from: readonly StepStatus[],
    to: StepStatus,
    extra: StepUpdate = {},
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

  async setAttempts(executionId: string, stepId: string, attempts: number, error: string | null) {
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
      .where("status", "in", OPEN)
      .orderBy("position")
      .execute();
    if (open.length === 0) return [];
    await this.db
      .updateTable("playbook_step_executions")
      .set({ status: "skipped", finished_at: this.now() })
      .where("execution_id", "=", executionId)
      .where("status", "in", OPEN)
      .execute();
    return open.map((r) => r.step_id);
  }
}
