import type { Kysely, Selectable } from "kysely";
import type { Clock } from "../clock.js";
import { parseJson } from "../store/db.js";
import type { Database, RunsTable } from "../store/schema.js";
import type { Progress, TaskInput } from "./agent-graph.js";
import type { RunContext } from "./run-context.js";

export const RUN_STATUSES = ["queued", "running", "succeeded", "partial", "failed"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const FINISHED_RUN_STATUSES: readonly RunStatus[] = ["succeeded", "partial", "failed"];

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

export interface NewRun {
  run_id: string;
  agent_id: string;
  task: TaskInput;
  parent_run_id: string | null;
  caller: string | null;
}

const toRecord = (r: Selectable<RunsTable>): RunRecord => ({
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

/** The runs table: one row per agent run, its status, progress, usage and result. */
export class RunStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return this.clock.now().toISOString();
  }

  async get(runId: string): Promise<RunRecord | null> {
    const r = await this.db.selectFrom("runs").selectAll().where("id", "=", runId).executeTakeFirst();
    return r ? toRecord(r) : null;
  }

  /**
   * The id of a run of `agentId` started by `caller` that is still queued or running, if any. One query
   * for both states, since a run moves from queued to running between two separate reads.
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

  /** Runs a previous process left unfinished, oldest first. */
  async unfinished(): Promise<Array<Pick<RunRecord, "run_id" | "agent_id" | "status">>> {
    const rows = await this.db
      .selectFrom("runs")
      .select(["id", "status", "agent_id"])
      .where("status", "in", ["running", "queued"])
      .orderBy("created_at")
      .execute();
    return rows.map((r) => ({ run_id: r.id, agent_id: r.agent_id, status: r.status as RunStatus }));
  }

  /** Record a queued run; a run id already there is left as it is. */
  async insertQueued(run: NewRun): Promise<void> {
    await this.db
      .insertInto("runs")
      .values({
        id: run.run_id,
        agent_id: run.agent_id,
        task_type: run.task.type,
        status: "queued",
        input: JSON.stringify(run.task),
        result: null,
        error: null,
        parent_run_id: run.parent_run_id,
        caller: run.caller,
        progress: null,
        usage: null,
        created_at: this.now(),
        started_at: null,
        finished_at: null,
      })
      .onConflict((oc) => oc.column("id").doNothing())
      .execute();
  }

  /** Running from `startedAt` (kept from the first start when a run is resumed). */
  async markRunning(runId: string, startedAt: string): Promise<void> {
    await this.db
      .updateTable("runs")
      .set({ status: "running", started_at: startedAt })
      .where("id", "=", runId)
      .execute();
  }

  async setProgress(runId: string, progress: Progress): Promise<void> {
    await this.db
      .updateTable("runs")
      .set({ progress: JSON.stringify(progress) })
      .where("id", "=", runId)
      .execute();
  }

  async setUsage(runId: string, usage: RunContext["usage"]): Promise<void> {
    await this.db
      .updateTable("runs")
      .set({ usage: JSON.stringify(usage) })
      .where("id", "=", runId)
      .execute();
  }

  /** Record the end of a run; its usage only when it made LLM calls. */
  async finish(
    runId: string,
    end: {
      status: RunStatus;
      result: Record<string, unknown> | null;
      error: string | null;
      usage?: RunContext["usage"];
    },
  ): Promise<void> {
    await this.db
      .updateTable("runs")
      .set({
        status: end.status,
        result: end.result ? JSON.stringify(end.result) : null,
        error: end.error,
        finished_at: this.now(),
        ...(end.usage && end.usage.calls > 0 ? { usage: JSON.stringify(end.usage) } : {}),
      })
      .where("id", "=", runId)
      .execute();
  }
}
