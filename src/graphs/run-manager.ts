import { randomUUID } from "node:crypto";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import type { Kysely } from "kysely";
import type { Clock } from "../clock.js";
import { errorMessage } from "../errors.js";
import type { EventBus } from "../events/bus.js";
import type { Logger } from "../logger.js";
import { parseJson } from "../store/db.js";
import type { Database } from "../store/schema.js";
import type { CompiledAgentGraph, Progress, TaskInput } from "./agent-graph.js";
import { type RunContext, runContext } from "./run-context.js";

export const RUN_STATUSES = ["queued", "running", "succeeded", "partial", "failed"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
const FINISHED: RunStatus[] = ["succeeded", "partial", "failed"];

export interface RunRecord {
  run_id: string;
  agent_id: string;
  task_type: string;
  status: RunStatus;
  input: TaskInput;
  result: Record<string, unknown> | null;
  error: string | null;
  parent_run_id: string | null;
  caller: string | null;
  progress: Progress | null;
  usage: RunContext["usage"] | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface DispatchInput {
  agent_id: string;
  task: TaskInput;
  parent_run_id?: string | null;
  caller?: string | null;
  /** Fixed run id, for callers that derive it from an idempotency key. */
  run_id?: string;
}

type RunRow = Awaited<ReturnType<RunManager["row"]>>;

const toRecord = (r: NonNullable<RunRow>): RunRecord => ({
  run_id: r.id,
  agent_id: r.agent_id,
  task_type: r.task_type,
  status: r.status as RunStatus,
  input: parseJson<TaskInput>(r.input, { type: r.task_type }),
  result: parseJson<Record<string, unknown> | null>(r.result, null),
  error: r.error,
  parent_run_id: r.parent_run_id,
  caller: r.caller,
  progress: parseJson<Progress | null>(r.progress, null),
  usage: parseJson<RunContext["usage"] | null>(r.usage, null),
  created_at: r.created_at,
  started_at: r.started_at,
  finished_at: r.finished_at,
});

/**
 * Starts agent runs, one LangGraph thread per run (thread id = run id), with bounded concurrency and a
 * per-thread lock. Records status, progress and result; publishes run.* events; resumes at boot the
 * runs a dead process left `running`, from their last checkpoint.
 */
export class RunManager {
  private readonly graphs = new Map<string, CompiledAgentGraph>();
  private readonly threadLocks = new Map<string, Promise<unknown>>();
  private readonly waiters = new Map<string, Array<(r: RunRecord) => void>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();
  private readonly queue: Array<() => void> = [];
  private active = 0;
  private accepting = true;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly bus: EventBus,
    private readonly log: Logger,
    private readonly clock: Clock,
    readonly checkpointer: BaseCheckpointSaver,
    private readonly concurrency = 4,
  ) {}

  register(agentId: string, graph: CompiledAgentGraph): void {
    this.graphs.set(agentId, graph);
  }

  hasAgent(agentId: string): boolean {
    return this.graphs.has(agentId);
  }

  async row(runId: string) {
    return this.db.selectFrom("runs").selectAll().where("id", "=", runId).executeTakeFirst();
  }

  async get(runId: string): Promise<RunRecord | null> {
    const r = await this.row(runId);
    return r ? toRecord(r) : null;
  }

  /**
   * The id of a run of `agentId` started by `caller` that is still queued or running, if any: the
   * scheduler's overrun protection. One query for both states, since a run moves from queued to running
   * between two separate reads.
   */
  async activeRunOf(agentId: string, caller: string): Promise<string | null> {
    const row = await this.db
      .selectFrom("runs")
      .select("id")
      .where("agent_id", "=", agentId)
      .where("caller", "=", caller)
      .where("status", "in", ["queued", "running"])
      .executeTakeFirst();
    return row?.id ?? null;
  }

  async children(runId: string): Promise<RunRecord[]> {
    const rows = await this.db
      .selectFrom("runs")
      .selectAll()
      .where("parent_run_id", "=", runId)
      .orderBy("created_at")
      .execute();
    return rows.map(toRecord);
  }

  async list(opts: {
    status?: RunStatus;
    agent_id?: string;
    limit?: number;
    before?: string;
  }): Promise<RunRecord[]> {
    let q = this.db
      .selectFrom("runs")
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(opts.limit ?? 50);
    if (opts.status) q = q.where("status", "=", opts.status);
    if (opts.agent_id) q = q.where("agent_id", "=", opts.agent_id);
    if (opts.before) q = q.where("created_at", "<", opts.before);
    return (await q.execute()).map(toRecord);
  }

  /** Record a queued run and start it in the background. The task must already be validated. */
  async dispatch(input: DispatchInput): Promise<RunRecord> {
    if (!this.accepting) throw new Error("shutting down: not accepting new runs");
    if (!this.graphs.has(input.agent_id)) throw new Error(`unknown agent ${input.agent_id}`);
    const runId = input.run_id ?? `run_${randomUUID()}`;
    const existing = await this.get(runId);
    if (existing) return existing;
    const now = this.clock.now().toISOString();
    await this.db
      .insertInto("runs")
      .values({
        id: runId,
        agent_id: input.agent_id,
        task_type: input.task.type,
        status: "queued",
        input: JSON.stringify(input.task),
        result: null,
        error: null,
        parent_run_id: input.parent_run_id ?? null,
        caller: input.caller ?? null,
        progress: null,
        usage: null,
        created_at: now,
        started_at: null,
        finished_at: null,
      })
      .onConflict((oc) => oc.column("id").doNothing())
      .execute();
    this.schedule(runId, false);
    return (await this.get(runId))!;
  }

  /** Dispatch and wait for the finished run. */
  async dispatchAndWait(input: DispatchInput, timeoutMs = 600_000): Promise<RunRecord> {
    const run = await this.dispatch(input);
    return this.waitFor(run.run_id, timeoutMs);
  }

  async waitFor(runId: string, timeoutMs = 600_000): Promise<RunRecord> {
    const current = await this.get(runId);
    if (!current) throw new Error(`unknown run ${runId}`);
    if (FINISHED.includes(current.status)) return current;
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
    const rows = await this.db
      .selectFrom("runs")
      .select(["id", "status", "agent_id"])
      .where("status", "in", ["running", "queued"])
      .orderBy("created_at")
      .execute();
    const resumed: string[] = [];
    for (const r of rows) {
      if (!this.graphs.has(r.agent_id)) {
        await this.finish(r.id, "failed", null, `agent ${r.agent_id} is no longer registered`);
        continue;
      }
      this.schedule(r.id, r.status === "running");
      resumed.push(r.id);
    }
    if (resumed.length > 0) this.log.info({ runs: resumed.length }, "resuming unfinished runs");
    return resumed;
  }

  private schedule(runId: string, resume: boolean): void {
    const start = () => {
      this.active++;
      const p = this.withThreadLock(runId, () => this.execute(runId, resume)).finally(() => {
        this.active--;
        this.inFlight.delete(p);
        this.queue.shift()?.();
      });
      this.inFlight.add(p);
    };
    if (this.active < this.concurrency) start();
    else this.queue.push(start);
  }

  private async withThreadLock<T>(threadId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.threadLocks.get(threadId) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    this.threadLocks.set(threadId, next);
    try {
      return await next;
    } finally {
      if (this.threadLocks.get(threadId) === next) this.threadLocks.delete(threadId);
    }
  }

  private async execute(runId: string, resume: boolean): Promise<void> {
    const row = await this.row(runId);
    if (!row || FINISHED.includes(row.status as RunStatus)) return;
    if (this.abort.signal.aborted) return; // shutting down: stays queued/running, resumed next boot
    const graph = this.graphs.get(row.agent_id)!;
    const task = parseJson<TaskInput>(row.input, { type: row.task_type });
    const config = { configurable: { thread_id: runId } };
    const ctx: RunContext = { run_id: runId, usage: { input_tokens: 0, output_tokens: 0, calls: 0 } };

    // Resume from the checkpoint only if one exists; a run that died before its first one restarts.
    let input: unknown = { task, run_id: runId, parent_run_id: row.parent_run_id };
    if (resume) {
      const snapshot = await graph.getState(config);
      if (snapshot.next.length > 0) input = null;
    }
    const startedAt = row.started_at ?? this.clock.now().toISOString();
    await this.db
      .updateTable("runs")
      .set({ status: "running", started_at: startedAt })
      .where("id", "=", runId)
      .execute();
    if (!resume) {
      await this.bus.publish("run.started", {
        source: row.agent_id,
        run_id: runId,
        account_id: typeof task.account_id === "string" ? task.account_id : null,
        payload: { agent_id: row.agent_id, task_type: row.task_type, parent_run_id: row.parent_run_id },
      });
    }

    // LangGraph's stream() ties the signal it is given to one of its own and never unties it: given the
    // manager's long-lived signal, every run ever made would leave a listener on it. A signal per run,
    // linked here and unlinked when the run ends, keeps that to the runs in flight.
    const runAbort = new AbortController();
    const onAbort = () => runAbort.abort(this.abort.signal.reason);
    this.abort.signal.addEventListener("abort", onAbort, { once: true });
    if (this.abort.signal.aborted) onAbort(); // aborted while the run was being started
    try {
      const final = await runContext.run(ctx, async () => {
        let values: Record<string, unknown> | undefined;
        const stream = await graph.stream(input as never, {
          ...config,
          streamMode: ["custom", "values"],
          signal: runAbort.signal,
        });
        for await (const chunk of stream as AsyncIterable<[string, unknown]>) {
          const [mode, data] = chunk;
          if (mode === "values") values = data as Record<string, unknown>;
          // Already throttled where nodes report it (progressWriter in agent-graph.ts): each one is stored.
          else if (mode === "custom" && isProgress(data))
            await this.reportProgress(runId, row.agent_id, data);
        }
        return values;
      });
      if (this.abort.signal.aborted) return;
      const result = (final?.final as Record<string, unknown> | null | undefined) ?? null;
      if (!result) {
        // The graph stopped without finishing: an interrupt is waiting (playbooks) or it was cut off.
        await this.db
          .updateTable("runs")
          .set({ usage: JSON.stringify(ctx.usage) })
          .where("id", "=", runId)
          .execute();
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
      if (this.abort.signal.aborted) {
        this.log.info({ run_id: runId }, "run interrupted by shutdown; it resumes at next boot");
        return;
      }
      this.log.error({ err, run_id: runId }, "run failed");
      await this.finish(runId, "failed", null, errorMessage(err), ctx);
    } finally {
      this.abort.signal.removeEventListener("abort", onAbort);
    }
  }

  private async reportProgress(runId: string, agentId: string, p: Progress): Promise<void> {
    await this.db
      .updateTable("runs")
      .set({ progress: JSON.stringify(p) })
      .where("id", "=", runId)
      .execute();
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
    const row = await this.row(runId);
    if (!row) return;
    await this.db
      .updateTable("runs")
      .set({
        status,
        result: result ? JSON.stringify(result) : null,
        error,
        finished_at: this.clock.now().toISOString(),
        ...(ctx && ctx.usage.calls > 0 ? { usage: JSON.stringify(ctx.usage) } : {}),
      })
      .where("id", "=", runId)
      .execute();
    await this.bus.publish("run.finished", {
      source: row.agent_id,
      run_id: runId,
      payload: {
        agent_id: row.agent_id,
        task_type: row.task_type,
        status: status as "succeeded" | "partial" | "failed",
        error,
      },
    });
    const record = (await this.get(runId))!;
    for (const w of this.waiters.get(runId) ?? []) w(record);
    this.waiters.delete(runId);
  }

  /**
   * Graceful stop: accept nothing new, give in-flight runs `graceMs` to finish, then abort them. An
   * aborted run keeps its status and its last checkpoint, and is resumed at the next boot.
   */
  async drain(graceMs = 10_000): Promise<void> {
    this.accepting = false;
    this.queue.length = 0;
    const all = Promise.allSettled([...this.inFlight]);
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref()),
    ]);
    if (timedOut) {
      this.abort.abort();
      await Promise.race([all, new Promise((r) => setTimeout(r, 2000).unref())]);
    }
  }

  /** Abort at once (second signal, tests that simulate a crash). */
  abortAll(): void {
    this.accepting = false;
    this.queue.length = 0;
    this.abort.abort();
  }

  get isAccepting(): boolean {
    return this.accepting;
  }
}

const isProgress = (d: unknown): d is Progress & { kind: "progress" } =>
  typeof d === "object" && d !== null && (d as { kind?: unknown }).kind === "progress";
