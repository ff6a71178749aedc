import { FINISHED_STATUSES } from "../../schema/statuses.js";
import { isGated } from "../../schema/steps.js";
import type { NodeKit } from "../kit.js";
import type { State, Update } from "../state.js";

/**
 * Entering a step: the planner works out which node handles the step at the cursor, and follows
 * "enter" routes inline so that moving on takes no graph step of its own.
 */
export function planner(k: NodeKit) {
  const { executions, approvals, load, settled } = k;

  /**
   * Where the execution goes from its cursor: the node of the step there, or (for a step already
   * settled, after a crash) the step after it.
   */
  async function plan(state: State): Promise<Update> {
    const { ex, index, step, row } = await load(state);
    if (FINISHED_STATUSES.includes(ex.status)) return { route: "end" };
    if (ex.status === "paused") return { route: "hold" };
    if (!step) return { route: "complete" };
    const done = settled(ex, step, index, row);
    if (done) return done;
    if (ex.current_step_id !== step.id) await executions.setCursor(ex.execution_id, step.id);
    if (isGated(step) && step.require_approval) {
      const approval = await approvals.forStep(ex.execution_id, step.id);
      return { route: approval ? "await_approval" : "request_approval" };
    }
    if (step.type === "wait") return { route: "schedule_wait" };
    if (step.type === "condition") return { route: "branch" };
    return { route: "act" };
  }

  /**
   * Follow "enter" routes inline: moving on to the next step takes no graph step of its own (each graph
   * step costs LangGraph's bookkeeping), and a run of settled steps is passed over in one go.
   */
  async function follow(state: State, update: Update): Promise<Update> {
    let u = update;
    for (let i = 0; u.route === "enter" && i <= 100; i++)
      u = { ...u, ...(await plan({ ...state, ...u } as State)) };
    return u;
  }

  return { plan, follow, enter: (state: State) => follow(state, { route: "enter" }) };
}
