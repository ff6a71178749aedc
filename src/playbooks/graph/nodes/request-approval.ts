import { errorMessage } from "../../../errors.js";
import { renderAction } from "../../render/action.js";
import type { RenderedAction } from "../../render/env.js";
import { FINISHED_STATUSES } from "../../schema/statuses.js";
import { isGated } from "../../schema/steps.js";
import type { Node, NodeKit } from "../kit.js";
import type { State, Update } from "../state.js";

/**
 * A gated step that needs a person's approval: render it for the customer and ask. One approval per
 * step, so a re-run after a crash finds the first and does not ask twice.
 */
export function requestApprovalNode(k: NodeKit): Node {
  const { executions, approvals, events, renderEnv, load, stepTo, failStep } = k;
  return async function requestApproval(state: State): Promise<Update> {
    const { ex, index, step } = await load(state);
    if (!step || !isGated(step)) return { route: "enter" };
    let action: RenderedAction;
    try {
      action = renderAction(step, await renderEnv(ex));
    } catch (err) {
      return failStep(ex, step, index, errorMessage(err));
    }
    const { approval, created } = await approvals.request({
      execution_id: ex.execution_id,
      step_id: step.id,
      playbook_id: ex.playbook_id,
      account_id: ex.account_id,
      request: { step: { id: step.id, name: step.name, type: step.type, on_reject: step.on_reject }, action },
    });
    await stepTo(ex, step.id, ["pending"], "awaiting_approval", { approval_id: approval.approval_id });
    // Cancelled while the request was being made: withdraw it rather than leave it pending for nothing.
    if (FINISHED_STATUSES.includes((await executions.get(ex.execution_id))?.status ?? "cancelled")) {
      await approvals.cancelPending(ex.execution_id);
      return { route: "end" };
    }
    if (created) await events.awaitingApproval(ex, step.id, approval.approval_id);
    return { route: "await_approval" };
  };
}
