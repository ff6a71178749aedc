import { ACTIVE_STATUSES, FINISHED_STATUSES } from "../../schema/statuses.js";
import type { Node, NodeKit } from "../kit.js";
import type { State, Update } from "../state.js";

/**
 * The end of an execution: the steps never reached are skipped, a stop withdraws pending approvals,
 * and the execution takes its final status (once: a compare-and-set from the active statuses).
 */
export function completeNode(k: NodeKit): Node {
  const { executions, steps, approvals, events } = k;
  return async function complete(state: State): Promise<Update> {
    const ex = await executions.get(state.execution_id);
    if (!ex || FINISHED_STATUSES.includes(ex.status)) return { route: "end" };
    const ending = state.ending ?? { status: "completed", reason: null };
    for (const stepId of await steps.skipRemaining(ex.execution_id)) await events.step(ex, stepId, "skipped");
    if (ending.status === "cancelled") await approvals.cancelPending(ex.execution_id);
    if (
      await executions.transition(ex.execution_id, ACTIVE_STATUSES, ending.status, {
        end_reason: ending.reason,
        current_step_id: null,
      })
    )
      await events.finished(ex, ending.status);
    return { route: "end" };
  };
}
