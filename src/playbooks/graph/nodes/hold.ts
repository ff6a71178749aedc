import { interrupt } from "@langchain/langgraph";
import type { Node, NodeKit } from "../kit.js";
import type { State, Update } from "../state.js";

/**
 * A paused execution holds here: one interrupt, resumed when someone resumes the execution (or a
 * recovery pass finds it no longer paused), then back to its step.
 */
export function holdNode(k: NodeKit): Node {
  const { executions } = k;
  return async function hold(state: State): Promise<Update> {
    const ex = await executions.get(state.execution_id);
    if (ex?.status === "paused") interrupt({ kind: "paused", execution_id: state.execution_id });
    return { route: "enter" };
  };
}
