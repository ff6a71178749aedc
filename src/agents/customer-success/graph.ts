import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { buildAgentGraph, type HandlerDef } from "../../graphs/agent-graph.js";
import type { AgentDeps } from "../deps.js";
import { AGENT_ID } from "./agent-id.js";
import { CS_HANDLERS } from "./handlers/index.js";

/** START -> route(task.type) -> the handler's nodes -> finish -> END, one handler per table entry. */
export function buildCustomerSuccessGraph(deps: AgentDeps, checkpointer: BaseCheckpointSaver) {
  const handlers: Record<string, HandlerDef> = {};
  for (const [type, h] of Object.entries(CS_HANDLERS)) {
    // Each handler narrows the task to its own schema, which the union checked before the run started.
    handlers[type] = h.build(deps) as HandlerDef;
  }
  return buildAgentGraph({ agentId: AGENT_ID, handlers, checkpointer });
}
