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
 * The shape every agent graph shares (ARCHITECTURE §3):
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

export interface NodeContext<T extends TaskInput = TaskInput> {
  task: T;
  run_id: string;
  parent_run_id: string | null;
  scratch: Record<string, unknown>;
  result: Record<string, unknown>;
  /** Report progress; the run manager turns it into run.progress events. */
  progress(p: Progress): void;
  config: LangGraphRunnableConfig;
}

export interface NodeOutput {
  result?: Record<string, unknown>;
  scratch?: Record<string, unknown>;
}

export type NodeFn<T extends TaskInput = TaskInput> = (
  ctx: NodeContext<T>,
) => Promise<NodeOutput | undefined>;

/** A handler is one node, or several in order (long work resumes at node boundaries). */
export type HandlerDef<T extends TaskInput = TaskInput> =
  | NodeFn<T>
  | Array<readonly [name: string, fn: NodeFn<T>]>;

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
export function failOpen<T extends TaskInput>(name: string, fn: NodeFn<T>) {
  return async (state: AgentStateValue, config: LangGraphRunnableConfig): Promise<AgentStateUpdate> => {
    const progress = progressWriter(config);
    const ctx: NodeContext<T> = {
      task: state.task as T,
      run_id: state.run_id,
      parent_run_id: state.parent_run_id,
      scratch: state.scratch,
      result: state.result,
      progress: progress.report,
      config,
    };
    try {
      const out = await fn(ctx);
      progress.flush();
      return { result: out?.result ?? {}, scratch: out?.scratch ?? {} };
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
