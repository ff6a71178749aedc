import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { z } from "zod";
import {
  type AnyScratch,
  buildAgentGraph,
  type CompiledAgentGraph,
  type HandlerDef,
  type TaskInput,
} from "./agent-graph.js";

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
  buildGraph(deps: Deps, checkpointer: BaseCheckpointSaver): CompiledAgentGraph;
  /** Durable bus subscriptions (hand-offs); registered before the bus starts. */
  subscribe?(deps: Deps): void;
}

/** The input schema of a task type: a strict object whose `type` is the task type's literal. */
export type TaskSchema = z.ZodObject;

/** The task a schema accepts, as its nodes read it. */
export type TaskOf<S extends TaskSchema> = z.infer<S> & TaskInput;

/**
 * One task type of an agent: its input schema, what it does (listed by /v1/agents), and its handler
 * (one node, or named nodes in order) built from the runtime's services. `Scratch` is the state its
 * nodes hand each other.
 */
export interface TaskHandler<Deps, S extends TaskSchema = TaskSchema, Scratch extends object = AnyScratch> {
  schema: S;
  description: string;
  build(deps: Deps): HandlerDef<TaskOf<S>, Scratch>;
}

/** An agent's handler table: task type -> its handler. The task union and the graph come from it. */
export type HandlerTable<Deps> = Readonly<
  // biome-ignore lint/suspicious/noExplicitAny: each entry has its own schema and scratch; the table holds them all
  Record<string, TaskHandler<Deps, any, any>>
>;

export interface AgentSpec<Deps> {
  id: string;
  name: string;
  description: string;
  handlers: HandlerTable<Deps>;
  /** Durable bus subscriptions, given the agent (its id and task union, e.g. to receive hand-offs). */
  subscribe?(deps: Deps, agent: AgentDefinition<Deps>): void;
}

/**
 * An agent from its handler table: the discriminated union of the handlers' schemas, the task types
 * with their descriptions (in table order), and a graph routing each type to its handler. Adding a task
 * type is one handler and one table entry.
 */
export function defineAgent<Deps>(spec: AgentSpec<Deps>): AgentDefinition<Deps> {
  const entries = Object.entries(spec.handlers);
  if (entries.length === 0) throw new Error(`agent ${spec.id} has no task types`);
  for (const [type, handler] of entries) {
    const literal = handler.schema.shape.type;
    // A table key that disagrees with its schema's literal would route tasks to the wrong handler.
    if (!(literal instanceof z.ZodLiteral) || literal.value !== type) {
      throw new Error(`${spec.id} handler "${type}" must have a schema with type: z.literal("${type}")`);
    }
  }
  const schemas = entries.map(([, h]) => h.schema) as [TaskSchema, ...TaskSchema[]];
  const agent: AgentDefinition<Deps> = {
    id: spec.id,
    name: spec.name,
    description: spec.description,
    tasks: entries.map(([type, h]) => ({ type, description: h.description })),
    taskSchema: z.discriminatedUnion("type", schemas) as unknown as z.ZodType<TaskInput>,
    buildGraph(deps, checkpointer) {
      const handlers: Record<string, HandlerDef> = {};
      for (const [type, h] of entries) handlers[type] = h.build(deps);
      return buildAgentGraph({ agentId: spec.id, handlers, checkpointer });
    },
  };
  const subscribe = spec.subscribe;
  if (subscribe) agent.subscribe = (deps) => subscribe(deps, agent);
  return agent;
}
