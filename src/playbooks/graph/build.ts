import { END, START, StateGraph } from "@langchain/langgraph";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { type GraphContext, type Node, nodeKit } from "./kit.js";
import { actNode } from "./nodes/act.js";
import { awaitApprovalNode } from "./nodes/await-approval.js";
import { awaitWakeNode } from "./nodes/await-wake.js";
import { branchNode } from "./nodes/branch.js";
import { completeNode } from "./nodes/complete.js";
import { planner } from "./nodes/enter.js";
import { holdNode } from "./nodes/hold.js";
import { requestApprovalNode } from "./nodes/request-approval.js";
import { scheduleWaitNode } from "./nodes/schedule-wait.js";
import { ExecutionState, ROUTES, type State } from "./state.js";

/**
 * The execution graph: one fixed interpreter graph for every playbook, one LangGraph thread per
 * execution (thread id = execution id). The graph state is small (the execution id and a cursor);
 * the template snapshot, step rows and approvals live in the store, so checkpoints stay small.
 *
 *   START -> enter -> (hold | request_approval -> await_approval | schedule_wait -> await_wake
 *                      | branch | act) -> enter ... -> complete -> END
 *
 * Three nodes suspend the thread with interrupt(), one interrupt each and nothing but idempotent
 * status writes before it: hold (paused), await_approval (an approval is pending), await_wake (a wait
 * is not over). interrupt() re-runs its node on resume, so each of them re-reads the store and loops
 * back to itself when it was resumed too early. Every side effect happens in act, after any approval,
 * and carries an idempotency key; every status write is a compare-and-set, so a node that runs again
 * after a crash neither repeats an effect nor publishes a transition twice.
 *
 * "enter" is mostly followed inline (follow()): a node that finishes its step works out the next
 * step's node itself, so a step costs one graph step. The engine invokes the graph with exit
 * durability: the thread is checkpointed when it suspends or ends. Step progress is in the store and
 * every node first checks what is already done there, so after a crash the thread replays from its
 * last suspension (or from the recorded step) and passes over what was done.
 */
export function buildExecutionGraph(ctx: GraphContext, checkpointer: BaseCheckpointSaver) {
  const k = nodeKit(ctx);
  const { follow, enter } = planner(k);
  const routed =
    (node: Node): Node =>
    async (state, config) =>
      follow(state, await node(state, config));

  const router = (s: State) => (s.route === "end" ? END : s.route);
  const targets = [...ROUTES, END as typeof END];
  const g = new StateGraph(ExecutionState)
    .addNode("enter", enter)
    .addNode("hold", routed(holdNode(k)))
    .addNode("request_approval", routed(requestApprovalNode(k)))
    .addNode("await_approval", routed(awaitApprovalNode(k)))
    .addNode("schedule_wait", routed(scheduleWaitNode(k)))
    .addNode("await_wake", routed(awaitWakeNode(k)))
    .addNode("branch", routed(branchNode(k)))
    .addNode("act", routed(actNode(k)))
    .addNode("complete", completeNode(k))
    .addEdge(START, "enter");
  for (const node of ROUTES) g.addConditionalEdges(node, router, targets);
  return g.compile({ checkpointer, name: "playbook-execution" });
}

export type ExecutionGraph = ReturnType<typeof buildExecutionGraph>;
