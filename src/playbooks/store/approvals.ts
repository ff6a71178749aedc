import { randomUUID } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import type { Clock } from "../../clock.js";
import { parseJson } from "../../store/db.js";
import type { ApprovalsTable, Database } from "../../store/schema.js";
import type { ApprovalDecision, ApprovalStatus } from "../schema/statuses.js";

/**
 * Approvals: one per gated step of an execution, holding the step as it will run. Deciding is a
 * compare-and-set on `pending`, so two approvers racing decide it once.
 */

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

export class ApprovalRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return this.clock.now().toISOString();
  }

  /** One approval per step of an execution: a second call returns the first (created false). */
  async request(input: {
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
    const approval = (await this.forStep(input.execution_id, input.step_id))!;
    return { approval, created: Number(res.numInsertedOrUpdatedRows ?? 0) > 0 };
  }

  async get(id: string): Promise<Approval | null> {
    const row = await this.db.selectFrom("approvals").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toApproval(row) : null;
  }

  async forStep(executionId: string, stepId: string): Promise<Approval | null> {
    const row = await this.db
      .selectFrom("approvals")
      .selectAll()
      .where("execution_id", "=", executionId)
      .where("step_id", "=", stepId)
      .executeTakeFirst();
    return row ? toApproval(row) : null;
  }

  async list(opts: {
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

  /** Withdraw an execution's pending approvals (it was cancelled, or stopped). */
  async cancelPending(executionId: string): Promise<void> {
    await this.db
      .updateTable("approvals")
      .set({ status: "cancelled", decided_at: this.now() })
      .where("execution_id", "=", executionId)
      .where("status", "=", "pending")
      .execute();
  }
}
