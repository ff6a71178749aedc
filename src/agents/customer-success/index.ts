/**
 * The Customer Success agent (CSM): the commercial layer over TAM's technical one. Scores account health
 * from 11 signals, predicts churn, alerts the riskiest accounts over four channels, and re-scores an
 * account when the TAM escalates it.
 */
import type { AgentDefinition } from "../../graphs/agent.js";
import type { AgentDeps } from "../deps.js";
import { AGENT_ID } from "./agent-id.js";
import { subscribeToTamEscalations } from "./escalations.js";
import { buildCustomerSuccessGraph } from "./graph.js";
import { CS_TASK_TYPES, csTaskSchema } from "./tasks.js";

export const customerSuccessAgent: AgentDefinition<AgentDeps> = {
  id: AGENT_ID,
  name: "Customer Success",
  description:
    "Explainable account health scores, churn risk, four-channel churn alerts, and daily scans of the book",
  tasks: CS_TASK_TYPES,
  taskSchema: csTaskSchema,
  buildGraph: buildCustomerSuccessGraph,
  subscribe: subscribeToTamEscalations,
};
