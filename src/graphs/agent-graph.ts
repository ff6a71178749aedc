import {
  Annotation,
  END,
  isGraphBubbleUp,
  type LangGraphRunnableConfig,
  START,
  StateGraph,
} from "@langchain/langgraph";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { errorMessage } from "../errors.js";

/**
 * The shape every agent graph shares:
 *   START -> route(task.type) -> <handler nodes> -> finish -> END
 * Handler nodes are fail-open: an error ends the handler early, and the run's result becomes
 * { task_type, error, confidence: "low", partial: true } plus whatever the handler had finished.
 */

export interface TaskInput {
  type: string;
  [key: string]: unknown;
}

export interface Failure {
  node: string;
  error: string;
}

const merge = (a: Record<string, unknown>, b: Record<string, unknown> | undefined) => ({
  ...a,
  ...(b ?? {}),
});

export const AgentState = Annotation.Root({
  task: Annotation<TaskInput>(),
  run_id: Annotation<string>(),
  parent_run_id: Annotation<string | null>(),
  /** The handler's result so far; nodes add fields, finish() completes it. */
  result: Annotation<Record<string, unknown>>({ reducer: merge, default: () => ({}) }),
  /** Small working state between nodes: ids and counts, never bulk rows (those live in the store). */
  scratch: Annotation<Record<string, unknown>>({ reducer: merge, default: () => ({}) }),
  failure: Annotation<Failure | null>({ reducer: (_a, b) => b, default: () => null }),
  final: Annotation<Record<string, unknown> | null>({ reducer: (_a, b) => b, default: () => null }),
});

export type AgentStateValue = typeof AgentState.State;
export type AgentStateUpdate = typeof AgentState.Update;

export interface Progress {
  phase: string;
  done: number;
  total: number;
}

/**
 * A task type's working state between its nodes, when it declares none: any small field. A task type
 * that keeps state declares its own shape (an interface in its task.ts) and its nodes read it typed.
 */
export type AnyScratch = Record<string, unknown>;

export interface NodeContext<T extends TaskInput = TaskInput, S extends object = AnyScratch> {
  task: T;
  run_id: string;
  parent_run_id: string | null;
  /** What earlier nodes of the handler left: any field may be missing (a node reads what ran before it). */
  scratch: Partial<S>;
  result: Record<string, unknown>;
  /** Report progress; the run manager turns it into run.progress events. */
  progress(p: Progress): void;
  config: LangGraphRunnableConfig;
}

export interface NodeOutput<S extends object = AnyScratch> {
  result?: Record<string, unknown>;
  /** Merged into the scratch the next nodes read. */
  scratch?: Partial<S>;
}

/**
 * One node of a handler. Declared as a method so that a node typed for its own task and scratch fits
 * the graph's table of nodes typed by the generic ones: the route hands a node only tasks of its type.
 */
export type NodeFn<T extends TaskInput = TaskInput, S extends object = AnyScratch> = {
  node(ctx: NodeContext<T, S>): Promise<NodeOutput<S> | undefined>;
}["node"];

/** A handler is one node, or several in order (long work resumes at node boundaries). */
export type HandlerDef<T extends TaskInput = TaskInput, S extends object = AnyScratch> =
  | NodeFn<T, S>
  | Array<readonly [name: string, fn: NodeFn<T, S>]>;

/**
 * A field an earlier node of the handler put in the scratch. Missing, the graph ran a node before the
 * one that sets it, which no task can recover from: the node fails.
 */
export function fromScratch<S extends object, K extends keyof S>(scratch: Partial<S>, key: K): S[K] {
  const value = scratch[key];
  if (value === undefined) throw new Error(`${String(key)} missing from the run's state`);
  return value as S[K];
}

/**
 * Thrown by a handler whose input it cannot act on at all (e.g. an invalid hand-off over the bus, which
 * skipped the API's validation): nothing was done, so the run fails instead of ending partial.
 */
export class TaskRejected extends Error {
  override name = "TaskRejected";
}

/** Least time between two progress reports of one node in the same phase. */
export const PROGRESS_INTERVAL_MS = 250;

/**
 * A node's progress reporter. Each report the graph streams costs about a millisecond of stream
 * machinery, and a scan reports per page, so reports are throttled where they are made: a phase's first
 * report goes out at once, then at most one per PROGRESS_INTERVAL_MS; the last one held back goes out
 * at the next phase's first report or when the node ends (`flush`), so each phase ends on its final
 * figures.
 */
export function progressWriter(config: LangGraphRunnableConfig, minIntervalMs = PROGRESS_INTERVAL_MS) {
  let lastPhase: string | null = null;
  let lastAt = 0;
  let held: Progress | null = null;
  const send = (p: Progress) => config.writer?.({ kind: "progress", ...p });
  return {
    report(p: Progress): void {
      const now = Date.now();
      if (p.phase === lastPhase && now - lastAt < minIntervalMs) {
        held = p;
        return;
      }
      if (held) send(held);
      held = null;
      lastPhase = p.phase;
      lastAt = now;
      send(p);
    },
    flush(): void {
      if (held) send(held);
      held = null;
    },
  };
}

/** Wrap a node so its failure is recorded in state instead of failing the run. */
export function failOpen<T extends TaskInput, S extends object>(name: string, fn: NodeFn<T, S>) {
  return async (state: AgentStateValue, config: LangGraphRunnableConfig): Promise<AgentStateUpdate> => {
    const progress = progressWriter(config);
    const ctx: NodeContext<T, S> = {
      // The route sent only tasks of this handler's type, checked against its schema before the run.
      task: state.task as T,
      run_id: state.run_id,
      parent_run_id: state.parent_run_id,
      // Only this handler's nodes write the scratch, in the shape the handler declares.
      scratch: state.scratch as Partial<S>,
      result: state.result,
      progress: progress.report,
      config,
    };
    try {
      const out = await fn(ctx);
      progress.flush();
      return { result: out?.result ?? {}, scratch: (out?.scratch ?? {}) as AnyScratch };
    } catch (err) {
      progress.flush();
      // Interrupts and aborts are control flow, not failures: let LangGraph see them.
      if (isGraphBubbleUp(err) || config.signal?.aborted) throw err;
      if (err instanceof TaskRejected) throw err;
      return { failure: { node: name, error: errorMessage(err) } };
    }
  };
}

export function finishNode(state: AgentStateValue): AgentStateUpdate {
  const base = { task_type: state.task.type, ...state.result };
  if (state.failure) {
    return {
      final: {
        ...base,
        error: state.failure.error,
        failed_node: state.failure.node,
        confidence: "low",
        partial: true,
      },
    };
  }
  return { final: base };
}

export interface AgentGraphSpec {
  agentId: string;
  handlers: Record<string, HandlerDef>;
  checkpointer?: BaseCheckpointSaver;
}

const nodeName = (taskType: string, step: string) => `${taskType}.${step}`;

/** Build and compile an agent's graph from its handler table. */
export function buildAgentGraph(spec: AgentGraphSpec) {
  // The builder's node names are only known at run time, so the graph is assembled untyped.
  // biome-ignore lint/suspicious/noExplicitAny: node names are dynamic (one per handler step)
  const g = new StateGraph(AgentState) as any;
  const firstNodes: Record<string, string> = {};
  for (const [taskType, def] of Object.entries(spec.handlers)) {
    const steps = typeof def === "function" ? [["run", def] as const] : def;
    if (steps.length === 0) throw new Error(`handler ${taskType} of ${spec.agentId} has no nodes`);
    const names = steps.map(([step]) => nodeName(taskType, step));
    steps.forEach(([, fn], i) => {
      g.addNode(names[i], failOpen(names[i]!, fn));
    });
    names.forEach((name, i) => {
      const next = names[i + 1] ?? "finish";
      // A failed node skips the rest of its handler.
      g.addConditionalEdges(
        name,
        (s: AgentStateValue) => (s.failure ? "finish" : next),
        [next, "finish"].filter((v, idx, arr) => arr.indexOf(v) === idx),
      );
    });
    firstNodes[taskType] = names[0]!;
  }
  g.addNode("finish", finishNode);
  g.addConditionalEdges(
    START,
    (s: AgentStateValue) => {
      const first = firstNodes[s.task.type];
      if (!first) throw new Error(`${spec.agentId} has no handler for task type ${s.task.type}`);
      return first;
    },
    Object.values(firstNodes),
  );
  g.addEdge("finish", END);
  return g.compile({ checkpointer: spec.checkpointer, name: spec.agentId });
}

export type CompiledAgentGraph = ReturnType<typeof buildAgentGraph>;
