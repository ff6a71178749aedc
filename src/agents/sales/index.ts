/**
 * The Sales agent: receives expansion opportunities from Customer Success (a durable bus subscription)
 * and drafts them to the account executive, and hands technical health checks to the TAM.
 */
import type { AgentDefinition } from "../../graphs/agent.js";
import type { AgentDeps } from "../deps.js";
import { subscribeHandoffs } from "../shared/handoff.js";
import { buildSalesGraph } from "./graph.js";
import { AGENT_ID, SALES_TASKS, salesTaskSchema } from "./tasks.js";

export const salesAgent: AgentDefinition<AgentDeps> = {
  id: AGENT_ID,
  name: "Sales",
  description:
    "Turns expansion opportunities from Customer Success into drafts for the account executive, and dispatches TAM health checks.",
  tasks: SALES_TASKS,
  taskSchema: salesTaskSchema as unknown as AgentDefinition<AgentDeps>["taskSchema"],
  buildGraph: buildSalesGraph,
  subscribe(deps) {
    subscribeHandoffs(deps, salesAgent);
  },
};
