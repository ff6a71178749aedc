import type { AgentDeps } from "../agents/deps.js";
import type { AgentDefinition } from "../graphs/agent.js";
import type { TaskQueue } from "../queue/service.js";

/**
 * What the playbook engine needs from the CSM task queue: create a task (task and meeting steps) and
 * read one back (a meeting counts as held once its task is completed).
 */
export type QueuePort = Pick<TaskQueue, "createTask" | "get">;

/** The runtime's services the engine uses (the Runtime satisfies this). */
export interface PlaybookDeps extends AgentDeps {
  agents: Map<string, AgentDefinition<AgentDeps>>;
  queue: QueuePort;
}
