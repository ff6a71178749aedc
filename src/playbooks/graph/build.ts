import { Annotation, END, interrupt, isGraphBubbleUp, START, StateGraph } from "@langchain/langgraph";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { errorMessage } from "../../errors.js";
import { evaluate, factsOf } from "../conditions/evaluate.js";
import { gatherFacts } from "../conditions/facts.js";
import type { PlaybookDeps } from "../deps.js";
import type { PlaybookEvents } from "../events.js";
import {
  applyEdits,
  type RenderEnv,
  RenderError,
  type RenderedAction,
  renderAction,
  wakeAt,
} from "../render/action.js";
import { nextStepId, resolveTarget } from "../schema/definition.js";
import {
  ACTIVE_STATUSES,
  type ExecutionStatus,
  FINISHED_STATUSES,
  type StepStatus,
} from "../schema/statuses.js";
import { type GatedStep, isGated, type Step } from "../schema/steps.js";
import type { Execution, ExecutionStore, StepExecution } from "../store/executions.js";
import { PermanentStepError, perform, StepAttemptError } from "./perform.js";

/**
 * The execution graph: one fixed interpreter graph for every playbook, one LangGraph thread per
 * execution (thread id = execution id). The graph state is small (the execution id and a cursor);
 * the template snapshot, step rows and approvals live in the store, so checkpoints stay small.
 *
 *   START -> enter -> (hold | request_approval -> await_approval | schedule_wait -> await_wake
 *                      | branch | act) -> enter ... -> complete -> END
 *
 * Three nodes suspend the thread with interrupt(), one interrupt each and nothing but idempotent
 * status writes before it: hold (paused), await_approval (an approval is pending), await_wake (a wait
 * is not over). interrupt() re-runs its node on resume, so each of them re-reads the store and loops
 * back to itself when it was resumed too early. Every side effect happens in act, after any approval,
 * and carries an idempotency key; every status write is a compare-and-set, so a node that runs again
 * after a crash neither repeats an effect nor publishes a transition twice.
 *
 * "enter" is mostly followed inline (follow()): a node that finishes its step works out the next
 * step's node itself, so a step costs one graph step. The engine invokes the graph with exit
 * durability: the thread is checkpointed when it suspends or ends. Step progress is in the store and
 * every node first checks what is already done there, so after a crash the thread replays from its
 * last suspension (or from the recorded step) and passes over what was done.
 */

type Route =
  | "enter"
  | "hold"
  | "request_approval"
  | "await_approval"
  | "schedule_wait"
  | "await_wake"
  | "branch"
  | "act"
  | "complete"
  | "end";
const ROUTES: Exclude<Route, "end">[] = [
  "enter",
  "hold",
  "request_approval",
  "await_approval",
  "schedule_wait",
  "await_wake",
  "branch",
  "act",
  "complete",
];

export interface Ending {
  status: Extract<ExecutionStatus, "completed" | "failed" | "cancelled">;
  reason: string | null;
}

const last = <T>(init: () => T) => Annotation<T>({ reducer: (_a, b) => b, default: init });

export const ExecutionState = Annotation.Root({
  execution_id: Annotation<string>(),
  cursor: last<string | null>(() => null),
  route: last<Route>(() => "enter"),
  ending: last<Ending | null>(() => null),
});
type S = typeof ExecutionState.State;
type U = typeof ExecutionState.Update;

export interface GraphContext {
  deps: PlaybookDeps;
  store: ExecutionStore;
  events: PlaybookEvents;
  renderEnv(ex: Execution): Promise<RenderEnv>;
  settings: { maxAttempts: number; retryDelayMs: number; agentTimeoutMs: number };
}

export function buildExecutionGraph(ctx: GraphContext, checkpointer: BaseCheckpointSaver) {
  const { store, events, deps } = ctx;
  const now = () => deps.clock.now();

  async function load(state: S) {
    const ex = await store.get(state.execution_id);
    if (!ex) throw new Error(`execution ${state.execution_id} not found`);
    const index = state.cursor === null ? -1 : ex.snapshot.steps.findIndex((s) => s.id === state.cursor);
    const step = index >= 0 ? ex.snapshot.steps[index]! : null;
    const row = step ? await store.step(ex.execution_id, step.id) : null;
    return { ex, index, step, row };
  }

  async function stepTo(
    ex: Execution,
    stepId: string,
    from: StepStatus[],
    to: StepStatus,
    extra: Parameters<ExecutionStore["stepTransition"]>[4] = {},
  ): Promise<boolean> {
    if (!(await store.stepTransition(ex.execution_id, stepId, from, to, extra))) return false;
    await events.step(ex, stepId, to, extra.output ?? undefined);
    return true;
  }

  async function exTo(
    ex: Execution,
    from: ExecutionStatus[],
    to: ExecutionStatus,
    reason: string | null = null,
  ) {
    const current = await store.get(ex.execution_id);
    if (!current || !from.includes(current.status)) return;
    if (await store.transition(ex.execution_id, from, to, to === "running" ? { wake_at: null } : {}))
      await events.status(ex, to, current.status, reason);
  }

  const advance = (ex: Execution, index: number): U => ({
    cursor: nextStepId(ex.snapshot, index),
    route: "enter",
  });

  /** A failed step: the step's on_failure, else the template's, decides whether the execution goes on. */
  async function failStep(
    ex: Execution,
    step: Step,
    index: number,
    error: string,
    output?: Record<string, unknown>,
  ) {
    await stepTo(ex, step.id, ["pending", "running", "awaiting_approval", "waiting"], "failed", {
      error,
      ...(output ? { output } : {}),
    });
    return afterFailure(ex, step, index, error);
  }

  function afterFailure(ex: Execution, step: Step, index: number, error: string | null): U {
    const policy = (isGated(step) ? step.on_failure : undefined) ?? ex.snapshot.on_failure;
    if (policy === "continue") return advance(ex, index);
    return {
      route: "complete",
      ending: { status: "failed", reason: `step ${step.id} failed: ${error ?? "unknown"}` },
    };
  }

  /** If this step already ended (a node re-run after a crash), where to go from here; else null. */
  function settled(ex: Execution, step: Step, index: number, row: StepExecution | null): U | null {
    if (!row) return null;
    if (row.status === "completed") {
      if (step.type === "condition") {
        const target = row.branch === "then" ? step.if_true : step.if_false;
        return { cursor: resolveTarget(target), route: "enter" };
      }
      return advance(ex, index);
    }
    if (row.status === "skipped") return advance(ex, index);
    if (row.status === "failed") return afterFailure(ex, step, index, row.error);
    return null;
  }

  // --- nodes -------------------------------------------------------------------------------------------------

  /**
   * Where the execution goes from its cursor: the node of the step there, or (for a step already
   * settled, after a crash) the step after it.
   */
  async function plan(state: S): Promise<U> {
    const { ex, index, step, row } = await load(state);
    if (FINISHED_STATUSES.includes(ex.status)) return { route: "end" };
    if (ex.status === "paused") return { route: "hold" };
    if (!step) return { route: "complete" };
    const done = settled(ex, step, index, row);
    if (done) return done;
    if (ex.current_step_id !== step.id) await store.setCursor(ex.execution_id, step.id);
    if (isGated(step) && step.require_approval) {
      const approval = await store.approvalFor(ex.execution_id, step.id);
      return { route: approval ? "await_approval" : "request_approval" };
    }
    if (step.type === "wait") return { route: "schedule_wait" };
    if (step.type === "condition") return { route: "branch" };
    return { route: "act" };
  }

  /**
   * Follow "enter" routes inline: moving on to the next step takes no graph step of its own (each graph
   * step costs LangGraph's bookkeeping), and a run of settled steps is passed over in one go.
   */
  async function follow(state: S, update: U): Promise<U> {
    let u = update;
    for (let i = 0; u.route === "enter" && i <= 100; i++)
      u = { ...u, ...(await plan({ ...state, ...u } as S)) };
    return u;
  }

  const enter = (state: S) => follow(state, { route: "enter" });

  async function hold(state: S): Promise<U> {
    const ex = await store.get(state.execution_id);
    if (ex?.status === "paused") interrupt({ kind: "paused", execution_id: state.execution_id });
    return { route: "enter" };
  }

  async function requestApproval(state: S): Promise<U> {
    const { ex, index, step } = await load(state);
    if (!step || !isGated(step)) return { route: "enter" };
    let action: RenderedAction;
    try {
      action = renderAction(step, await ctx.renderEnv(ex));
    } catch (err) {
      return failStep(ex, step, index, errorMessage(err));
    }
    const { approval, created } = await store.requestApproval({
      execution_id: ex.execution_id,
      step_id: step.id,
      playbook_id: ex.playbook_id,
      account_id: ex.account_id,
      request: { step: { id: step.id, name: step.name, type: step.type, on_reject: step.on_reject }, action },
    });
    await stepTo(ex, step.id, ["pending"], "awaiting_approval", { approval_id: approval.approval_id });
    // Cancelled while the request was being made: withdraw it rather than leave it pending for nothing.
    if (FINISHED_STATUSES.includes((await store.get(ex.execution_id))?.status ?? "cancelled")) {
      await store.cancelApprovals(ex.execution_id);
      return { route: "end" };
    }
    if (created) await events.awaitingApproval(ex, step.id, approval.approval_id);
    return { route: "await_approval" };
  }

  async function awaitApproval(state: S): Promise<U> {
    const { ex, index, step, row } = await load(state);
    if (!step || !isGated(step)) return { route: "enter" };
    const done = settled(ex, step, index, row);
    if (done) return done;
    let approval = await store.approvalFor(ex.execution_id, step.id);
    if (!approval) return { route: "request_approval" };
    if (approval.status === "pending") {
      await exTo(ex, ["running"], "awaiting_approval", `step ${step.id} needs approval`);
      interrupt({ kind: "approval", approval_id: approval.approval_id, step_id: step.id });
      approval = (await store.approvalFor(ex.execution_id, step.id))!;
      // Resumed before anyone decided (a recovery pass): suspend again.
      if (approval.status === "pending") return { route: "await_approval" };
    }
    const current = (await store.get(ex.execution_id))!;
    if (FINISHED_STATUSES.includes(current.status) || approval.status === "cancelled")
      return { route: "end" };
    if (current.status === "paused") return { route: "hold" };
    await exTo(ex, ["awaiting_approval"], "running", `approval ${approval.status}`);
    if (approval.status === "approved" || approval.status === "edited") return { route: "act" };
    // Rejected: skip the step, or stop the execution when the step says so.
    await stepTo(ex, step.id, ["awaiting_approval", "pending"], "skipped", {
      output: { rejected: true, by: approval.decided_by, comment: approval.comment },
    });
    if (step.on_reject === "stop")
      return {
        route: "complete",
        ending: {
          status: "cancelled",
          reason: `step ${step.id} rejected by ${approval.decided_by ?? "someone"}`,
        },
      };
    return advance(ex, index);
  }

  async function scheduleWait(state: S): Promise<U> {
    const { ex, index, step, row } = await load(state);
    if (!step || step.type !== "wait" || !row) return { route: "enter" };
    const done = settled(ex, step, index, row);
    if (done) return done;
    if (row.wake_at) return { route: "await_wake" };
    const env = await ctx.renderEnv(ex);
    const wake = wakeAt(step, env);
    if (!wake) {
      await stepTo(ex, step.id, ["pending"], "skipped", {
        output: { reason: `the account has no ${step.until?.anchor ?? "anchor date"}` },
      });
      return advance(ex, index);
    }
    const wake_at = wake.toISOString();
    await stepTo(ex, step.id, ["pending"], "waiting", { wake_at, output: { wake_at } });
    return { route: "await_wake" };
  }

  async function awaitWake(state: S): Promise<U> {
    const { ex, index, step, row } = await load(state);
    if (!step || step.type !== "wait" || !row?.wake_at) return { route: "enter" };
    const done = settled(ex, step, index, row);
    if (done) return done;
    const wake = new Date(row.wake_at);
    if (now() < wake) {
      if (await store.transition(ex.execution_id, ["running"], "waiting", { wake_at: row.wake_at }))
        await events.status(ex, "waiting", "running", `until ${row.wake_at}`);
      interrupt({ kind: "wait", wake_at: row.wake_at, step_id: step.id });
      // Woken before its time (a recovery pass or a moved clock): sleep again.
      if (now() < wake) return { route: "await_wake" };
    }
    const current = (await store.get(ex.execution_id))!;
    if (FINISHED_STATUSES.includes(current.status)) return { route: "end" };
    if (current.status === "paused") return { route: "hold" };
    await exTo(ex, ["waiting"], "running", "wait over");
    await stepTo(ex, step.id, ["waiting"], "completed", {
      output: { wake_at: row.wake_at, woke_at: now().toISOString() },
    });
    return advance(ex, index);
  }

  async function branch(state: S): Promise<U> {
    const { ex, index, step, row } = await load(state);
    if (!step || step.type !== "condition") return { route: "enter" };
    const done = settled(ex, step, index, row);
    if (done) return done;
    const env = await ctx.renderEnv(ex);
    const facts = await gatherFacts(factsOf(step.condition), {
      db: deps.store.db,
      queue: deps.queue,
      now: now(),
      account: env.account,
      execution: ex,
      steps: await store.steps(ex.execution_id),
    });
    const { result, trace } = evaluate(step.condition, facts);
    const target = result ? step.if_true : step.if_false;
    await stepTo(ex, step.id, ["pending"], "completed", {
      branch: result ? "then" : "else",
      output: { result, branch: result ? "then" : "else", target, trace },
    });
    return { cursor: resolveTarget(target), route: "enter" };
  }

  /** The action to perform: as approved (with the approver's edits), else rendered now. */
  async function actionFor(ex: Execution, step: GatedStep): Promise<RenderedAction> {
    const env = await ctx.renderEnv(ex);
    if (!step.require_approval) return renderAction(step, env);
    const approval = await store.approvalFor(ex.execution_id, step.id);
    const approved = approval?.request.action as RenderedAction | undefined;
    if (!approved) return renderAction(step, env);
    return approval?.status === "edited" && approval.edits
      ? applyEdits(approved, approval.edits, env)
      : approved;
  }

  async function act(state: S, config: { signal?: AbortSignal }): Promise<U> {
    const { ex, index, step, row } = await load(state);
    if (!step || !isGated(step) || !row) return { route: "enter" };
    const done = settled(ex, step, index, row);
    if (done) return done;
    let action: RenderedAction;
    try {
      action = await actionFor(ex, step);
    } catch (err) {
      return failStep(ex, step, index, err instanceof RenderError ? err.message : errorMessage(err));
    }
    // Claim the step. Not claimed and not already running (a re-run after a crash): it was skipped
    // meanwhile (the execution was cancelled), so no effect.
    if (!(await stepTo(ex, step.id, ["pending", "awaiting_approval"], "running"))) {
      if ((await store.step(ex.execution_id, step.id))?.status !== "running") return { route: "enter" };
    }
    const max = step.max_attempts ?? ctx.settings.maxAttempts;
    let lastError = "unknown error";
    let lastOutput: Record<string, unknown> | undefined;
    for (let attempt = 1; attempt <= max; attempt++) {
      await store.setStepAttempts(ex.execution_id, step.id, attempt, attempt > 1 ? lastError : null);
      try {
        const output = await perform({
          deps,
          execution: ex,
          step,
          action,
          attempt,
          agentTimeoutMs:
            step.type === "agent_action" && step.timeout_minutes
              ? step.timeout_minutes * 60_000
              : ctx.settings.agentTimeoutMs,
          ...(config.signal ? { signal: config.signal } : {}),
        });
        await stepTo(ex, step.id, ["running"], "completed", { output, error: null });
        return advance(ex, index);
      } catch (err) {
        if (isGraphBubbleUp(err) || config.signal?.aborted) throw err;
        lastError = errorMessage(err);
        lastOutput =
          err instanceof StepAttemptError || err instanceof PermanentStepError ? err.output : undefined;
        deps.log.warn(
          { execution_id: ex.execution_id, step_id: step.id, attempt, err: lastError },
          "playbook step attempt failed",
        );
        if (err instanceof PermanentStepError) break;
        if (attempt < max) await sleep(ctx.settings.retryDelayMs * 2 ** (attempt - 1), config.signal);
      }
    }
    return failStep(ex, step, index, lastError, lastOutput);
  }

  async function complete(state: S): Promise<U> {
    const ex = await store.get(state.execution_id);
    if (!ex || FINISHED_STATUSES.includes(ex.status)) return { route: "end" };
    const ending = state.ending ?? { status: "completed", reason: null };
    for (const stepId of await store.skipRemaining(ex.execution_id)) await events.step(ex, stepId, "skipped");
    if (ending.status === "cancelled") await store.cancelApprovals(ex.execution_id);
    if (
      await store.transition(ex.execution_id, ACTIVE_STATUSES, ending.status, {
        end_reason: ending.reason,
        current_step_id: null,
      })
    )
      await events.finished(ex, ending.status);
    return { route: "end" };
  }

  const routed =
    (node: (state: S, config: { signal?: AbortSignal }) => Promise<U>) =>
    async (state: S, config: { signal?: AbortSignal }) =>
      follow(state, await node(state, config));

  const router = (s: S) => (s.route === "end" ? END : s.route);
  const targets = [...ROUTES, END as typeof END];
  const g = new StateGraph(ExecutionState)
    .addNode("enter", enter)
    .addNode("hold", routed(hold))
    .addNode("request_approval", routed(requestApproval))
    .addNode("await_approval", routed(awaitApproval))
    .addNode("schedule_wait", routed(scheduleWait))
    .addNode("await_wake", routed(awaitWake))
    .addNode("branch", routed(branch))
    .addNode("act", routed(act))
    .addNode("complete", complete)
    .addEdge(START, "enter");
  for (const node of ROUTES) g.addConditionalEdges(node, router, targets);
  return g.compile({ checkpointer, name: "playbook-execution" });
}

export type ExecutionGraph = ReturnType<typeof buildExecutionGraph>;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(t);
      reject(new Error("aborted"));
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
