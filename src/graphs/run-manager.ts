import { randomUUID } from "node:crypto";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import type { Kysely } from "kysely";
import type { Clock } from "../clock.js";
import { errorMessage } from "../errors.js";
import type { EventBus } from "../events/bus.js";
import type { Logger } from "../logger.js";
import type { Database } from "../store/schema.js";
import type { CompiledAgentGraph, Progress, TaskInput } from "./agent-graph.js";
import { type RunContext, runContext } from "./run-context.js";
import { FINISHED_RUN_STATUSES, type RunRecord, type RunStatus, RunStore } from "./run-store.js";
import { ThreadRunner } from "./thread-runner.js";

export { RUN_STATUSES, type RunRecord, type RunStatus } from "./run-store.js";

export interface DispatchInput {
  agent_id: string;
  task: TaskInput;
  parent_run_id?: string | null;
  caller?: string | null;
  /** Fixed run id, for callers that derive it from an idempotency key. */
  run_id?: string;
}

/**
 * Starts agent runs, one LangGraph thread per run (thread id = run id), on a thread runner (bounded
 * concurrency, one turn per thread at a time). Records status, progress and result in the run store;
 * publishes run.* events; resumes at boot the runs a dead process left `running`, from their last
 * checkpoint.
 */
export class RunManager {
  private readonly graphs = new Map<string, CompiledAgentGraph>();
  private readonly waiters = new Map<string, Array<(r: RunRecord) => void>>();
  private readonly store: RunStore;
  private readonly runner: ThreadRunner;

  constructor(
    db: Kysely<Database>,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly clock: Clock,
    readonly checkpointer: BaseCheckpointSaver,
    concurrency = 4,
  ) {
    this.store = new RunStore(db, clock);
    this.runner = new ThreadRunner({
      concurrency,
      checkpointer,
      onError: (err, runId) => this.log.error({ err, run_id: runId }, "run could not be recorded"),
    });
  }

  register(agentId: string, graph: CompiledAgentGraph): void {
    this.graphs.set(agentId, graph);
  }

  hasAgent(agentId: string): boolean {
    return this.graphs.has(agentId);
  }

  get(runId: string): Promise<RunRecord | null> {
    return this.store.get(runId);
  }

  /**
   * The id of a run of `agentId` started by `caller` that is still queued or running, if any: the
   * scheduler's overrun protection.
   */
  activeRunOf(agentId: string, caller: string): Promise<string | null> {
    return this.store.activeRunOf(agentId, caller);
  }

  children(runId: string): Promise<RunRecord[]> {
    return this.store.children(runId);
  }

  list(opts: {
    status?: RunStatus;
    agent_id?: string;
    limit?: number;
    before?: string;
  }): Promise<RunRecord[]> {
    return this.store.list(opts);
  }

  /** Record a queued run and start it in the background. The task must already be validated. */
  async dispatch(input: DispatchInput): Promise<RunRecord> {
    if (!this.runner.isAccepting) throw new Error("shutting down: not accepting new runs");
    if (!this.graphs.has(input.agent_id)) throw new Error(`unknown agent ${input.agent_id}`);
    const runId = input.run_id ?? `run_${randomUUID()}`;
    const existing = await this.store.get(runId);
    if (existing) return existing;
    await this.store.insertQueued({
      run_id: runId,
      agent_id: input.agent_id,
      task: input.task,
      parent_run_id: input.parent_run_id ?? null,
      caller: input.caller ?? null,
    });
    this.schedule(runId, false);
    return (await this.store.get(runId))!;
  }

  /** Dispatch and wait for the finished run. */
  async dispatchAndWait(input: DispatchInput, timeoutMs = 600_000): Promise<RunRecord> {
    const run = await this.dispatch(input);
    return this.waitFor(run.run_id, timeoutMs);
  }

  async waitFor(runId: string, timeoutMs = 600_000): Promise<RunRecord> {
    const current = await this.store.get(runId);
    if (!current) throw new Error(`unknown run ${runId}`);
    if (FINISHED_RUN_STATUSES.includes(current.status)) return current;
    return new Promise<RunRecord>((resolve, reject) => {
      const timer = setTimeout(() => {
        const list = this.waiters.get(runId) ?? [];
        this.waiters.set(
          runId,
          list.filter((w) => w !== done),
        );
        reject(new Error(`run ${runId} did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (r: RunRecord) => {
        clearTimeout(timer);
        resolve(r);
      };
      const list = this.waiters.get(runId) ?? [];
      list.push(done);
      this.waiters.set(runId, list);
    });
  }

  /** Resume what a previous process left unfinished: `running` from its checkpoint, `queued` from the start. */
  async resumeUnfinished(): Promise<string[]> {
    const resumed: string[] = [];
    for (const r of await this.store.unfinished()) {
      if (!this.graphs.has(r.agent_id)) {
        await this.finish(r.run_id, "failed", null, `agent ${r.agent_id} is no longer registered`);
        continue;
      }
      this.schedule(r.run_id, r.status === "running");
      resumed.push(r.run_id);
    }
    if (resumed.length > 0) this.log.info({ runs: resumed.length }, "resuming unfinished runs");
    return resumed;
  }

  private schedule(runId: string, resume: boolean): void {
    void this.runner.run(runId, (signal) => this.execute(runId, resume, signal));
  }

  private async execute(runId: string, resume: boolean, signal: AbortSignal): Promise<void> {
    const run = await this.store.get(runId);
    if (!run || FINISHED_RUN_STATUSES.includes(run.status)) return;
    if (signal.aborted) return; // shutting down: stays queued/running, resumed next boot
    const graph = this.graphs.get(run.agent_id)!;
    const task = run.input;
    const config = { configurable: { thread_id: runId } };
    const ctx: RunContext = { run_id: runId, usage: { input_tokens: 0, output_tokens: 0, calls: 0 } };

    // Resume from the checkpoint only if one exists; a run that died before its first one restarts.
    let input: unknown = { task, run_id: runId, parent_run_id: run.parent_run_id };
    if (resume) {
      const snapshot = await graph.getState(config);
      if (snapshot.next.length > 0) input = null;
    }
    await this.store.markRunning(runId, run.started_at ?? this.clock.now().toISOString());
    if (!resume) {
      await this.bus.publish("run.started", {
        source: run.agent_id,
        run_id: runId,
        account_id: typeof task.account_id === "string" ? task.account_id : null,
        payload: { agent_id: run.agent_id, task_type: run.task_type, parent_run_id: run.parent_run_id },
      });
    }

    try {
      const final = await runContext.run(ctx, async () => {
        let values: Record<string, unknown> | undefined;
        const stream = await graph.stream(input as never, {
          ...config,
          streamMode: ["custom", "values"],
          signal,
        });
        for await (const chunk of stream as AsyncIterable<[string, unknown]>) {
          const [mode, data] = chunk;
          if (mode === "values") values = data as Record<string, unknown>;
          // Already throttled where nodes report it (progressWriter in agent-graph.ts): each one is stored.
          else if (mode === "custom" && isProgress(data))
            await this.reportProgress(runId, run.agent_id, data);
        }
        return values;
      });
      if (signal.aborted) return;
      const result = (final?.final as Record<string, unknown> | null | undefined) ?? null;
      if (!result) {
        // The graph stopped without finishing: an interrupt is waiting (playbooks) or it was cut off.
        await this.store.setUsage(runId, ctx.usage);
        return;
      }
      const partial = result.partial === true;
      await this.finish(
        runId,
        partial ? "partial" : "succeeded",
        result,
        partial ? String(result.error ?? "") : null,
        ctx,
      );
    } catch (err) {
      if (signal.aborted) {
        this.log.info({ run_id: runId }, "run interrupted by shutdown; it resumes at next boot");
        return;
      }
      this.log.error({ err, run_id: runId }, "run failed");
      await this.finish(runId, "failed", null, errorMessage(err), ctx);
    }
  }

  private async reportProgress(runId: string, agentId: string, p: Progress): Promise<void> {
    await this.store.setProgress(runId, p);
    await this.bus.publish("run.progress", {
      source: agentId,
      run_id: runId,
      payload: { agent_id: agentId, phase: p.phase, done: p.done, total: p.total },
    });
  }

  private async finish(
    runId: string,
    status: RunStatus,
    result: Record<string, unknown> | null,
    error: string | null,
    ctx?: RunContext,
  ): Promise<void> {
    const run = await this.store.get(runId);
    if (!run) return;
    await this.store.finish(runId, { status, result, error, ...(ctx ? { usage: ctx.usage } : {}) });
    await this.bus.publish("run.finished", {
      source: run.agent_id,
      run_id: runId,
      payload: {
        agent_id: run.agent_id,
        task_type: run.task_type,
        status: status as "succeeded" | "partial" | "failed",
        error,
      },
    });
    const record = (await this.store.get(runId))!;
    for (const w of this.waiters.get(runId) ?? []) w(record);
    this.waiters.delete(runId);
  }

  /**
   * Graceful stop: accept nothing new, give in-flight runs `graceMs` to finish, then abort them. An
   * aborted run keeps its status and its last checkpoint, and is resumed at the next boot.
   */
  drain(graceMs = 10_000): Promise<void> {
    return this.runner.drain(graceMs);
  }

  /** Abort at once (second signal, tests that simulate a crash). */
  abortAll(): void {
    this.runner.abortAll();
  }

  get isAccepting(): boolean {
    return this.runner.isAccepting;
  }
}

const isProgress = (d: unknown): d is Progress & { kind: "progress" } =>
  typeof d === "object" && d !== null && (d as { kind?: unknown }).kind === "progress";
