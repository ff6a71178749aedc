/**
 * The Technical Account Manager agent: technical health from tickets and the integration heartbeat,
 * escalations over four channels, outreach on demand, and the Technical Relationship Profile. It takes
 * hand-offs (e.g. Sales' dispatch_tam_health_check) through its durable bus subscription.
 */
import type { AgentDefinition } from "../../graphs/agent.js";
import type { AgentDeps } from "../deps.js";
import { subscribeHandoffs } from "../shared/handoff.js";
import { buildTamGraph } from "./graph.js";
import { AGENT_ID, TAM_TASKS, tamTaskSchema } from "./tasks.js";

export const tamAgent: AgentDefinition<AgentDeps> = {
  id: AGENT_ID,
  name: "Technical Account Manager",
  description:
    "Technical health (tickets, integration heartbeat), escalations to the account's owner and Slack, outreach drafts, and the Technical Relationship Profile.",
  tasks: TAM_TASKS,
  taskSchema: tamTaskSchema as unknown as AgentDefinition<AgentDeps>["taskSchema"],
  buildGraph: buildTamGraph,
  subscribe(deps) {
    subscribeHandoffs(deps, tamAgent);
  },
};
