import type { AgentDefinition } from "../graphs/agent.js";
import type { AgentDeps } from "./deps.js";

/** The registry of all agents. Each agent folder exports its definition; none imports another. */
export const AGENTS: AgentDefinition<AgentDeps>[] = [];
