/** The TAM agent's graph: its handler table on the shared agent-graph kit. */
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { buildAgentGraph } from "../../graphs/agent-graph.js";
import type { AgentDeps } from "../deps.js";
import { escalationOutreachHandler } from "./handlers/escalation-outreach.js";
import { healthScanHandler } from "./handlers/health-scan.js";
import { updateRelationshipProfileHandler } from "./handlers/update-relationship-profile.js";
import { AGENT_ID } from "./tasks.js";

export function buildTamGraph(deps: AgentDeps, checkpointer: BaseCheckpointSaver) {
  return buildAgentGraph({
    agentId: AGENT_ID,
    checkpointer,
    handlers: {
      health_scan: healthScanHandler(deps),
      escalation_outreach: escalationOutreachHandler(deps),
      update_relationship_profile: updateRelationshipProfileHandler(deps),
    },
  });
}
