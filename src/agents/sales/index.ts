/**
 * The Sales agent: receives expansion opportunities from Customer Success (a durable bus subscription)
 * and drafts them to the account executive, and hands technical health checks to the TAM.
 */
import { defineAgent } from "../../graphs/agent.js";
import type { AgentDeps } from "../deps.js";
import { subscribeHandoffs } from "../shared/handoff.js";
import { AGENT_ID } from "./agent-id.js";
import { dispatchTamHealthCheck } from "./dispatch-tam-health-check/index.js";
import { handleExpansionOpportunity } from "./handle-expansion-opportunity/index.js";

/** Task type -> handler: the task union, the graph and /v1/agents all come from this table. */
export const SALES_HANDLERS = {
  handle_expansion_opportunity: handleExpansionOpportunity,
  dispatch_tam_health_check: dispatchTamHealthCheck,
};

export const salesAgent = defineAgent<AgentDeps>({
  id: AGENT_ID,
  name: "Sales",
  description:
    "Turns expansion opportunities from Customer Success into drafts for the account executive, and dispatches TAM health checks.",
  handlers: SALES_HANDLERS,
  subscribe: subscribeHandoffs,
});
