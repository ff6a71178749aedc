/** The Sales agent's graph: its handler table on the shared agent-graph kit. */
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { buildAgentGraph } from "../../graphs/agent-graph.js";
import type { AgentDeps } from "../deps.js";
import { dispatchTamHealthCheckHandler } from "./handlers/dispatch-tam-health-check.js";
import { handleExpansionOpportunityHandler } from "./handlers/handle-expansion-opportunity.js";
import { AGENT_ID } from "./tasks.js";

export function buildSalesGraph(deps: AgentDeps, checkpointer: BaseCheckpointSaver) {
  return buildAgentGraph({
    agentId: AGENT_ID,
    checkpointer,
    handlers: {
      handle_expansion_opportunity: handleExpansionOpportunityHandler(deps),
      dispatch_tam_health_check: dispatchTamHealthCheckHandler(deps),
    },
  });
}
