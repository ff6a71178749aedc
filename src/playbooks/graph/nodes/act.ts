import { isGraphBubbleUp } from "@langchain/langgraph";
import { errorMessage } from "../../../errors.js";
import { renderAction } from "../../render/action.js";
import { applyEdits } from "../../render/edits.js";
import { RenderError, type RenderedAction } from "../../render/env.js";
import { type GatedStep, isGated } from "../../schema/steps.js";
import type { Execution } from "../../store/executions.js";
import type { Node, NodeKit } from "../kit.js";
import { PermanentStepError, perform, StepAttemptError } from "../perform.js";
import type { State, Update } from "../state.js";

/**
 * A step's side effect, after any approval: claim the step, perform it (draft, queue task, meeting,
 * agent run) with retries and a growing delay, and record what it did. Every effect carries an
 * idempotency key, so a re-run after a crash returns the first result instead of repeating it.
 */
export function actNode(k: NodeKit): Node {
  const { deps, steps, approvals, renderEnv, settings, load, stepTo, advance, failStep, settled } = k;

  /** The action to perform: as approved (with the approver's edits), else rendered now. */
  async function actionFor(ex: Execution, step: GatedStep): Promise<RenderedAction> {
    const env = await renderEnv(ex);
    if (!step.require_approval) return renderAction(step, env);
    const approval = await approvals.forStep(ex.execution_id, step.id);
    const approved = approval?.request.action as RenderedAction | undefined;
    if (!approved) return renderAction(step, env);
    return approval?.status === "edited" && approval.edits
      ? applyEdits(approved, approval.edits, env)
      : approved;
  }

  return async function act(state: State, config: { signal?: AbortSignal }): Promise<Update> {
    const { ex, index, step, row } = await load(state);
    if (!step || !isGated(step) || !row) return { route: "enter" };
    const done = settled(ex, step, index, row);
    if (done) return done;
    let action: RenderedAction;
    try {
      action = await actionFor(ex, step);
    } catch (err) {
      return failStep(ex, step, index, err instanceof RenderError ? err.message : errorMessage(err));
    }
    // Claim the step. Not claimed and not already running (a re-run after a crash): it was skipped
    // meanwhile (the execution was cancelled), so no effect.
    if (!(await stepTo(ex, step.id, ["pending", "awaiting_approval"], "running"))) {
      if ((await steps.get(ex.execution_id, step.id))?.status !== "running") return { route: "enter" };
    }
    const max = step.max_attempts ?? settings.maxAttempts;
    let lastError = "unknown error";
    let lastOutput: Record<string, unknown> | undefined;
    for (let attempt = 1; attempt <= max; attempt++) {
      await steps.setAttempts(ex.execution_id, step.id, attempt, attempt > 1 ? lastError : null);
      try {
        const output = await perform({
          deps,
          execution: ex,
          step,
          action,
          attempt,
          agentTimeoutMs:
            step.type === "agent_action" && step.timeout_minutes
              ? step.timeout_minutes * 60_000
              : settings.agentTimeoutMs,
          ...(config.signal ? { signal: config.signal } : {}),
        });
        await stepTo(ex, step.id, ["running"], "completed", { output, error: null });
        return advance(ex, index);
      } catch (err) {
        if (isGraphBubbleUp(err) || config.signal?.aborted) throw err;
        lastError = errorMessage(err);
        lastOutput =
          err instanceof StepAttemptError || err instanceof PermanentStepError ? err.output : undefined;
        deps.log.warn(
          { execution_id: ex.execution_id, step_id: step.id, attempt, err: lastError },
          "playbook step attempt failed",
        );
        if (err instanceof PermanentStepError) break;
        if (attempt < max) await sleep(settings.retryDelayMs * 2 ** (attempt - 1), config.signal);
      }
    }
    return failStep(ex, step, index, lastError, lastOutput);
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(t);
      reject(new Error("aborted"));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
