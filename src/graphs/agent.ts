import type { z } from "zod";
import type { CompiledAgentGraph, TaskInput } from "./agent-graph.js";

export interface TaskTypeInfo {
  type: string;
  description: string;
}

/**
 * An agent: the task types it accepts (a zod discriminated union, checked before any run starts), and
 * a factory for its graph. `Deps` is the runtime's service bundle; graphs get it by closure.
 */
export interface AgentDefinition<Deps> {
  id: string;
  name: string;
  description: string;
  tasks: TaskTypeInfo[];
  taskSchema: z.ZodType<TaskInput>;
  buildGraph(
    deps: Deps,
    checkpointer: import("@langchain/langgraph-checkpoint").BaseCheckpointSaver,
  ): CompiledAgentGraph;
  /** Durable bus subscriptions (hand-offs); registered before the bus starts. */
  subscribe?(deps: Deps): void;
}
