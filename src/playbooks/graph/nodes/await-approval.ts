import { interrupt } from "@langchain/langgraph";
import { FINISHED_STATUSES } from "../../schema/statuses.js";
import { isGated } from "../../schema/steps.js";
import type { Node, NodeKit } from "../kit.js";
import type { State, Update } from "../state.js";

/**
 * Suspend until the step's approval is decided; then act on it (approved or edited), skip the step
 * (rejected), or stop the execution when the step says a rejection stops it.
 */
export function awaitApprovalNode(k: NodeKit): Node {
  const { executions, approvals, load, stepTo, exTo, advance, settled } = k;
  return async function awaitApproval(state: State): Promise<Update> {
    const { ex, index, step, row } = await load(state);
    if (!step || !isGated(step)) return { route: "enter" };
    const done = settled(ex, step, index, row);
    if (done) return done;
    let approval = await approvals.forStep(ex.execution_id, step.id);
    if (!approval) return { route: "request_approval" };
    if (approval.status === "pending") {
      await exTo(ex, ["running"], "awaiting_approval", `step ${step.id} needs approval`);
      interrupt({ kind: "approval", approval_id: approval.approval_id, step_id: step.id });
      approval = (await approvals.forStep(ex.execution_id, step.id))!;
      // Resumed before anyone decided (a recovery pass): suspend again.
      if (approval.status === "pending") return { route: "await_approval" };
    }
    const current = (await executions.get(ex.execution_id))!;
    if (FINISHED_STATUSES.includes(current.status) || approval.status === "cancelled")
      return { route: "end" };
    if (current.status === "paused") return { route: "hold" };
    await exTo(ex, ["awaiting_approval"], "running", `approval ${approval.status}`);
    if (approval.status === "approved" || approval.status === "edited") return { route: "act" };
    // Rejected: skip the step, or stop the execution when the step says so.
    await stepTo(ex, step.id, ["awaiting_approval", "pending"], "skipped", {
      output: { rejected: true, by: approval.decided_by, comment: approval.comment },
    });
    if (step.on_reject === "stop")
      return {
        route: "complete",
        ending: {
          status: "cancelled",
          reason: `step ${step.id} rejected by ${approval.decided_by ?? "someone"}`,
        },
      };
    return advance(ex, index);
  };
}
