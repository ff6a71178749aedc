import type { AgentDefinition } from "../graphs/agent.js";
import { customerSuccessAgent } from "./customer-success/index.js";
import type { AgentDeps } from "./deps.js";
import { salesAgent } from "./sales/index.js";
import { tamAgent } from "./tam/index.js";

/** The registry of all agents. Each agent folder exports its definition; none imports another. */
export const AGENTS: AgentDefinition<AgentDeps>[] = [customerSuccessAgent, salesAgent, tamAgent];
