import type { PlaybookDeps } from "../deps.js";
import type { PlaybookEvents } from "../events.js";
import type { RenderEnv } from "../render/env.js";
import { nextStepId, resolveTarget } from "../schema/definition.js";
import type { ExecutionStatus, StepStatus } from "../schema/statuses.js";
import { isGated, type Step } from "../schema/steps.js";
import type { ApprovalRepo } from "../store/approvals.js";
import type { Execution, ExecutionRepo } from "../store/executions.js";
import type { StepExecution, StepRepo, StepUpdate } from "../store/steps.js";
import type { State, Update } from "./state.js";

/** What the execution graph's nodes work with: the runtime's services and the playbooks' stores. */
export interface GraphContext {
  deps: PlaybookDeps;
  executions: ExecutionRepo;
  steps: StepRepo;
  approvals: ApprovalRepo;
  events: PlaybookEvents;
  renderEnv(ex: Execution): Promise<RenderEnv>;
  settings: { maxAttempts: number; retryDelayMs: number; agentTimeoutMs: number };
}

export type Node = (state: State, config: { signal?: AbortSignal }) => Promise<Update>;
export type NodeKit = ReturnType<typeof nodeKit>;

/**
 * The context plus what every node does the same way: load the execution and the step at the cursor,
 * move a step or the execution on (a compare-and-set, its event published once), and decide where a
 * settled or failed step leads.
 */
export function nodeKit(ctx: GraphContext) {
  const { executions, steps, events, deps } = ctx;
  const now = () => deps.clock.now();

  async function load(state: State) {
    const ex = await executions.get(state.execution_id);
    if (!ex) throw new Error(`execution ${state.execution_id} not found`);
    const index = state.cursor === null ? -1 : ex.snapshot.steps.findIndex((s) => s.id === state.cursor);
    const step = index >= 0 ? ex.snapshot.steps[index]! : null;
    const row = step ? await steps.get(ex.execution_id, step.id) : null;
    return { ex, index, step, row };
  }

  async function stepTo(
    ex: Execution,
    stepId: string,
    from: StepStatus[],
    to: StepStatus,
    extra: StepUpdate = {},
  ): Promise<boolean> {
    if (!(await steps.transition(ex.execution_id, stepId, from, to, extra))) return false;
    await events.step(ex, stepId, to, extra.output ?? undefined);
    return true;
  }

  async function exTo(
    ex: Execution,
    from: ExecutionStatus[],
    to: ExecutionStatus,
    reason: string | null = null,
  ) {
    const current = await executions.get(ex.execution_id);
    if (!current || !from.includes(current.status)) return;
    if (await executions.transition(ex.execution_id, from, to, to === "running" ? { wake_at: null } : {}))
      await events.status(ex, to, current.status, reason);
  }

  const advance = (ex: Execution, index: number): Update => ({
    cursor: nextStepId(ex.snapshot, index),
    route: "enter",
  });

  /** A failed step: the step's on_failure, else the template's, decides whether the execution goes on. */
  async function failStep(
    ex: Execution,
    step: Step,
    index: number,
    error: string,
    output?: Record<string, unknown>,
  ) {
    await stepTo(ex, step.id, ["pending", "running", "awaiting_approval", "waiting"], "failed", {
      error,
      ...(output ? { output } : {}),
    });
    return afterFailure(ex, step, index, error);
  }

  function afterFailure(ex: Execution, step: Step, index: number, error: string | null): Update {
    const policy = (isGated(step) ? step.on_failure : undefined) ?? ex.snapshot.on_failure;
    if (policy === "continue") return advance(ex, index);
    return {
      route: "complete",
      ending: { status: "failed", reason: `step ${step.id} failed: ${error ?? "unknown"}` },
    };
  }

  /** If this step already ended (a node re-run after a crash), where to go from here; else null. */
  function settled(ex: Execution, step: Step, index: number, row: StepExecution | null): Update | null {
    if (!row) return null;
    if (row.status === "completed") {
      if (step.type === "condition") {
        const target = row.branch === "then" ? step.if_true : step.if_false;
        return { cursor: resolveTarget(target), route: "enter" };
      }
      return advance(ex, index);
    }
    if (row.status === "skipped") return advance(ex, index);
    if (row.status === "failed") return afterFailure(ex, step, index, row.error);
    return null;
  }

  return {
    ...ctx,
    renderEnv: (ex: Execution) => ctx.renderEnv(ex),
    now,
    load,
    stepTo,
    exTo,
    advance,
    failStep,
    afterFailure,
    settled,
  };
}
