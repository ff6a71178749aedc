import type { Estimate } from "./estimate.js";
import { describeStep } from "./render/waits.js";
import { isGated, type Step } from "./schema/steps.js";
import type { Approval } from "./store/approvals.js";
import type { Execution } from "./store/executions.js";
import type { StepExecution } from "./store/steps.js";
import type { PlaybookRecord } from "./store/templates.js";

/** The API shapes of executions, approvals and templates (snake_case, links to what can be done). */

const seconds = (from: string | null, to: string | null): number | null =>
  from && to ? Math.max(0, Math.round((new Date(to).getTime() - new Date(from).getTime()) / 1000)) : null;

export function executionView(ex: Execution, rows: StepExecution[], est: Estimate, now: Date) {
  const byId = new Map(rows.map((r) => [r.step_id, r]));
  const steps = ex.snapshot.steps.map((step, position) => {
    const row = byId.get(step.id);
    return {
      step_id: step.id,
      name: step.name,
      type: step.type,
      position,
      description: describeStep(step),
      require_approval: isGated(step) ? step.require_approval : false,
      status: row?.status ?? "pending",
      started_at: row?.started_at ?? null,
      finished_at: row?.finished_at ?? null,
      duration_seconds: seconds(row?.started_at ?? null, row?.finished_at ?? null),
      attempts: row?.attempts ?? 0,
      wake_at: row?.wake_at ?? null,
      branch: row?.branch ?? null,
      approval_id: row?.approval_id ?? null,
      output: row?.output ?? null,
      error: row?.error ?? null,
    };
  });
  const count = (s: string) => steps.filter((x) => x.status === s).length;
  // Jumps go forward only, so the steps reached, in list order, are the path taken (branch tracking).
  const path = steps.filter((x) => x.started_at !== null).map((x) => x.step_id);
  return {
    execution_id: ex.execution_id,
    playbook_id: ex.playbook_id,
    playbook_name: ex.snapshot.name,
    account_id: ex.account_id,
    status: ex.status,
    trigger: ex.trigger,
    priority: ex.priority,
    started_by: ex.started_by,
    contact_email: ex.contact_email,
    current_step_id: ex.current_step_id,
    wake_at: ex.wake_at,
    flags: {
      response_received: ex.flags.response_received === true,
      meeting_held: ex.flags.meeting_held === true,
    },
    paused_status: ex.paused_status,
    preempted_by: ex.preempted_by,
    end_reason: ex.end_reason,
    started_at: ex.created_at,
    updated_at: ex.updated_at,
    finished_at: ex.finished_at,
    elapsed_seconds: seconds(ex.created_at, ex.finished_at ?? now.toISOString()),
    estimated_completion_at: est.estimated_completion_at,
    estimated_remaining_seconds: est.remaining_seconds,
    progress: {
      total: steps.length,
      completed: count("completed"),
      skipped: count("skipped"),
      failed: count("failed"),
      open: steps.length - count("completed") - count("skipped") - count("failed"),
    },
    path,
    steps,
    links: {
      self: `/v1/playbook-executions/${ex.execution_id}`,
      stream: `/v1/playbook-executions/${ex.execution_id}/stream`,
      approvals: `/v1/approvals?execution_id=${ex.execution_id}`,
      playbook: `/v1/playbooks/${ex.playbook_id}`,
    },
  };
}

export type ExecutionView = ReturnType<typeof executionView>;

/** A short form for lists (no step outputs). */
export function executionSummary(ex: Execution) {
  return {
    execution_id: ex.execution_id,
    playbook_id: ex.playbook_id,
    playbook_name: ex.snapshot.name,
    account_id: ex.account_id,
    status: ex.status,
    trigger_type: ex.trigger.type,
    priority: ex.priority,
    current_step_id: ex.current_step_id,
    wake_at: ex.wake_at,
    started_at: ex.created_at,
    finished_at: ex.finished_at,
    end_reason: ex.end_reason,
    links: { self: `/v1/playbook-executions/${ex.execution_id}` },
  };
}

export function approvalView(a: Approval) {
  return {
    ...a,
    links: {
      self: `/v1/approvals/${a.approval_id}`,
      execution: `/v1/playbook-executions/${a.execution_id}`,
    },
  };
}

/**
 * The flow of a template as edges between steps (a builder draws its branches from these): each step
 * to the one after it, a condition to its two targets, "end" where the execution stops.
 */
export interface FlowEdge {
  from: string;
  /** A step id, or "end". */
  to: string;
  /** For a condition: the branch ("then" when it holds, "else" when not); null for a plain step. */
  when: "then" | "else" | null;
}

export function flowEdges(steps: readonly Step[]): FlowEdge[] {
  return steps.flatMap((step, i): FlowEdge[] => {
    if (step.type === "condition")
      return [
        { from: step.id, to: step.if_true, when: "then" },
        { from: step.id, to: step.if_false, when: "else" },
      ];
    return [{ from: step.id, to: step.next ?? steps[i + 1]?.id ?? "end", when: null }];
  });
}

export function playbookView(p: PlaybookRecord) {
  return {
    ...p,
    edges: flowEdges(p.steps),
    links: {
      self: `/v1/playbooks/${p.playbook_id}`,
      publish: `/v1/playbooks/${p.playbook_id}/publish`,
      preview: `/v1/playbooks/${p.playbook_id}/preview`,
      executions: `/v1/playbooks/${p.playbook_id}/executions`,
      analytics: `/v1/playbooks/${p.playbook_id}/analytics`,
    },
  };
}
