import { Command } from "@langchain/langgraph";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import { badRequest, conflict, errorMessage, notFound } from "../errors.js";
import type { PlaybookDeps } from "./deps.js";
import { PlaybookEvents } from "./events.js";
import { buildExecutionGraph, type ExecutionGraph } from "./graph/build.js";
import {
  applyEdits,
  EDIT_SCHEMAS,
  type RenderEnv,
  RenderError,
  type RenderedAction,
} from "./render/action.js";
import { ACTIVE_STATUSES, type ApprovalDecision, FINISHED_STATUSES } from "./schema/statuses.js";
import { type Execution, type ExecutionFlags, ExecutionStore, type TriggerInfo } from "./store/executions.js";
import { definitionOf, PlaybookRepo } from "./store/templates.js";
import { type FireReport, TRIGGER_EVENT_TYPES, TriggerService } from "./triggers/service.js";

export interface TickReport {
  woken: number;
  recovered: number;
  triggered: FireReport;
}

/**
 * Runs playbook executions: starts them, advances each one's graph thread until its next suspension
 * (a wait, an approval, a pause, or the end), and takes the decisions that resume them: approvals,
 * pause/resume/cancel, the scheduler tick that wakes finished waits, and recovery after a restart.
 *
 * An execution is advanced by at most one graph invocation at a time (a per-execution chain), and at
 * most PLAYBOOK_CONCURRENCY executions advance at once.
 */
export class PlaybookEngine {
  readonly templates: PlaybookRepo;
  readonly executions: ExecutionStore;
  readonly events: PlaybookEvents;
  readonly triggers: TriggerService;
  private readonly graph: ExecutionGraph;
  private readonly checkpointer: BaseCheckpointSaver;
  private readonly driving = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly abort = new AbortController();
  private readonly waitingForSlot: Array<() => void> = [];
  private activeDrives = 0;
  private accepting = true;

  constructor(private readonly deps: PlaybookDeps) {
    this.templates = new PlaybookRepo(deps.store.db, deps.clock);
    this.executions = new ExecutionStore(deps.store.db, deps.clock);
    this.events = new PlaybookEvents(deps.bus);
    this.checkpointer = deps.runs.checkpointer;
    this.triggers = new TriggerService(deps, this);
    const c = deps.config;
    this.graph = buildExecutionGraph(
      {
        deps,
        store: this.executions,
        events: this.events,
        renderEnv: (ex) => this.renderEnv(ex),
        settings: {
          maxAttempts: c.PLAYBOOK_STEP_MAX_ATTEMPTS,
          retryDelayMs: c.PLAYBOOK_RETRY_DELAY_MS,
          agentTimeoutMs: c.PLAYBOOK_AGENT_TIMEOUT_MS,
        },
      },
      this.checkpointer,
    );
  }

  /** The account and execution details a step renders with (the account is read fresh). */
  async renderEnv(ex: Execution): Promise<RenderEnv> {
    const account = await this.deps.records.getAccount(ex.account_id);
    if (!account) throw new RenderError(`account ${ex.account_id} not found`);
    return {
      account,
      execution_id: ex.execution_id,
      playbook_name: ex.snapshot.name,
      contact_email: ex.contact_email,
      started_at: new Date(ex.created_at),
      now: this.deps.clock.now(),
      sales_fallback_email: this.deps.config.SALES_FALLBACK_EMAIL ?? null,
      agents: this.deps.agents,
    };
  }

  // --- lifecycle -------------------------------------------------------------------------------------------

  /** Start an execution, or return the one already active for this playbook and customer. */
  async startExecution(input: {
    playbook_id: string;
    account_id: string;
    trigger: TriggerInfo;
    contact_email?: string | null;
    started_by?: string | null;
  }): Promise<{ execution: Execution; created: boolean }> {
    const playbook = await this.templates.get(input.playbook_id);
    if (!playbook) throw notFound(`playbook ${input.playbook_id}`);
    if (playbook.status !== "published")
      throw conflict(`playbook ${input.playbook_id} is ${playbook.status}; publish it before running it`);
    const account = await this.deps.records.getAccount(input.account_id);
    if (!account) throw notFound(`account ${input.account_id}`);
    const res = await this.executions.insert({
      playbook_id: playbook.playbook_id,
      account_id: account.id,
      snapshot: definitionOf(playbook),
      trigger: input.trigger,
      contact_email: input.contact_email ?? null,
      account_snapshot: {
        status: account.status,
        renewal_date: account.renewal_date,
        health_score: account.csm_health_score,
      },
      started_by: input.started_by ?? null,
    });
    if (res.created) {
      await this.events.started(res.execution);
      void this.kick(res.execution.execution_id);
    }
    return res;
  }

  async get(id: string): Promise<Execution> {
    const ex = await this.executions.get(id);
    if (!ex) throw notFound(`execution ${id}`);
    return ex;
  }

  async pause(id: string, by: string, reason: string | null = null, preemptedBy: string | null = null) {
    for (let i = 0; i < 3; i++) {
      const ex = await this.get(id);
      if (FINISHED_STATUSES.includes(ex.status))
        throw conflict(`execution ${id} is ${ex.status}`, { status: ex.status });
      if (ex.status === "paused") return ex;
      if (
        await this.executions.transition(id, [ex.status], "paused", {
          paused_status: ex.status,
          preempted_by: preemptedBy,
        })
      ) {
        await this.events.status(ex, "paused", ex.status, reason ?? `paused by ${by}`);
        return this.get(id);
      }
    }
    throw conflict(`execution ${id} changed while pausing; try again`);
  }

  async resume(id: string, by: string, reason: string | null = null) {
    const ex = await this.get(id);
    if (ex.status !== "paused")
      throw conflict(`execution ${id} is ${ex.status}, not paused`, { status: ex.status });
    const to = ex.paused_status && ex.paused_status !== "paused" ? ex.paused_status : "running";
    if (!(await this.executions.transition(id, ["paused"], to, { paused_status: null, preempted_by: null })))
      throw conflict(`execution ${id} changed while resuming; try again`);
    await this.events.status(ex, to, "paused", reason ?? `resumed by ${by}`);
    // Whatever held the thread (the pause, a wait now over, an approval decided meanwhile) moves on;
    // anything still pending suspends it again.
    void this.kick(id);
    return this.get(id);
  }

  /** Cancel: the remaining steps are skipped; a step already running finishes what it started. */
  async cancel(id: string, by: string, reason: string | null = null) {
    const ex = await this.get(id);
    if (FINISHED_STATUSES.includes(ex.status))
      throw conflict(`execution ${id} is ${ex.status}`, { status: ex.status });
    if (
      !(await this.executions.transition(id, ACTIVE_STATUSES, "cancelled", {
        end_reason: reason ?? `cancelled by ${by}`,
        current_step_id: null,
      }))
    )
      throw conflict(`execution ${id} changed while cancelling; try again`);
    for (const stepId of await this.executions.skipRemaining(id))
      await this.events.step(ex, stepId, "skipped");
    await this.executions.cancelApprovals(id);
    await this.events.finished(ex, "cancelled");
    // A suspended thread never runs again: drop its checkpoints now (a running one is pruned when it stops).
    if (!this.driving.has(id)) await this.prune(id);
    await this.releasePreempted(id);
    return this.get(id);
  }

  async setFlags(id: string, flags: ExecutionFlags) {
    const ex = await this.get(id);
    if (FINISHED_STATUSES.includes(ex.status))
      throw conflict(`execution ${id} is ${ex.status}`, { status: ex.status });
    await this.executions.setFlags(id, flags);
    return this.get(id);
  }

  /** Decide a pending approval and resume the execution (unless it is paused: then on resume). */
  async decide(
    approvalId: string,
    input: { decision: ApprovalDecision; edits?: Record<string, unknown>; comment?: string },
    by: string,
  ) {
    const approval = await this.executions.approval(approvalId);
    if (!approval) throw notFound(`approval ${approvalId}`);
    if (approval.status !== "pending")
      throw conflict(`approval ${approvalId} is already ${approval.status}`, { status: approval.status });
    const ex = await this.get(approval.execution_id);
    let edits: Record<string, unknown> | null = null;
    if (input.decision === "edit") {
      if (!input.edits || Object.keys(input.edits).length === 0)
        throw badRequest("decision edit needs edits");
      edits = await this.checkEdits(ex, approval.request.action as RenderedAction, input.edits);
    } else if (input.edits) {
      throw badRequest(`edits are only taken with decision "edit"`);
    }
    const decided = await this.executions.decide(approvalId, {
      decision: input.decision,
      edits,
      comment: input.comment ?? null,
      by,
    });
    if (!decided) {
      const now = await this.executions.approval(approvalId);
      throw conflict(`approval ${approvalId} is already ${now?.status}`, { status: now?.status });
    }
    await this.events.decided(ex, approvalId, input.decision, by);
    if (ex.status !== "paused") void this.kick(ex.execution_id);
    return (await this.executions.approval(approvalId))!;
  }

  private async checkEdits(ex: Execution, action: RenderedAction, edits: Record<string, unknown>) {
    const schema = EDIT_SCHEMAS[action.type];
    const parsed = schema.safeParse(edits);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => ({
        path: ["edits", ...i.path.map(String)].join("."),
        message: i.message,
      }));
      throw badRequest(`${details[0]!.path}: ${details[0]!.message}`, details);
    }
    if (action.type === "agent_action") {
      const edited = applyEdits(action, parsed.data, await this.renderEnv(ex));
      const agent = this.deps.agents.get(action.agent_id);
      const check = agent?.taskSchema.safeParse(edited.type === "agent_action" ? edited.task : {});
      if (check && !check.success) {
        const issue = check.error.issues[0]!;
        throw badRequest(`edits.task.${issue.path.join(".")}: ${issue.message}`);
      }
    }
    return parsed.data as Record<string, unknown>;
  }

  // --- driving the graph -----------------------------------------------------------------------------------

  /**
   * Advance an execution until its thread suspends or ends. A kick while one is in progress makes that
   * one go round again once it stops, so no decision is lost and no two invocations overlap.
   */
  kick(id: string): Promise<void> {
    const current = this.driving.get(id);
    if (current) {
      this.again.add(id);
      return current;
    }
    if (!this.accepting) return Promise.resolve();
    const p = (async () => {
      await this.slot();
      try {
        do {
          this.again.delete(id);
          await this.drive(id);
        } while (this.again.has(id) && this.accepting);
      } finally {
        this.activeDrives--;
        this.waitingForSlot.shift()?.();
      }
    })()
      .catch((err: unknown) => {
        if (!this.abort.signal.aborted)
          this.deps.log.error({ err, execution_id: id }, "playbook execution could not advance");
      })
      .finally(() => {
        this.driving.delete(id);
        // A kick that arrived after the last round began its way out: honour it.
        if (this.again.delete(id) && this.accepting) void this.kick(id);
      });
    this.driving.set(id, p);
    return p;
  }

  private async slot(): Promise<void> {
    if (this.activeDrives < this.deps.config.PLAYBOOK_CONCURRENCY) {
      this.activeDrives++;
      return;
    }
    await new Promise<void>((resolve) => this.waitingForSlot.push(resolve));
    this.activeDrives++;
  }

  private async drive(id: string): Promise<void> {
    if (this.abort.signal.aborted) return;
    const config = { configurable: { thread_id: id } };
    const ex = await this.executions.get(id);
    if (!ex) return;
    const state = await this.graph.getState(config);
    let input: unknown;
    if (state.next.length > 0) {
      // Suspended at an interrupt: resume it (the node re-reads the store); cut off mid-node: re-run it.
      const interrupted = state.tasks.some((t) => (t.interrupts?.length ?? 0) > 0);
      input = interrupted ? new Command({ resume: { at: this.deps.clock.now().toISOString() } }) : null;
    } else if (FINISHED_STATUSES.includes(ex.status)) {
      await this.prune(id);
      return;
    } else {
      // No thread yet (first run, or a start the process died before), or a thread that ended without
      // the store saying so: (re)enter at the recorded step; every node checks what is already done.
      input = {
        execution_id: id,
        cursor: ex.current_step_id ?? ex.snapshot.steps[0]?.id ?? null,
        route: "enter",
      };
    }
    // A signal per invocation, tied to the engine's: LangGraph leaves a listener on the signal it is
    // given, which would pile up on one long-lived signal over thousands of invocations.
    const invocation = new AbortController();
    const forward = () => invocation.abort();
    this.abort.signal.addEventListener("abort", forward, { once: true });
    try {
      await this.graph.invoke(input as never, {
        ...config,
        recursionLimit: 10_000,
        signal: invocation.signal,
        // Checkpoint when the thread suspends or ends, not after every node: step progress lives in the
        // store, every node first checks what is already done there, and every effect has an
        // idempotency key, so a crash replays from the last suspension without repeating anything.
        durability: "exit",
      });
    } finally {
      this.abort.signal.removeEventListener("abort", forward);
    }
    const after = await this.executions.get(id);
    if (after && FINISHED_STATUSES.includes(after.status)) {
      await this.prune(id);
      await this.releasePreempted(id);
    }
  }

  /**
   * Keep only the newest checkpoint of a finished execution: its final state stays readable, the
   * history (one checkpoint per suspension: waits, approvals, pauses) goes.
   */
  async prune(id: string): Promise<void> {
    const saver = this.checkpointer;
    if (saver instanceof SqliteSaver) {
      const latest = await saver.getTuple({ configurable: { thread_id: id } });
      const keep = latest?.checkpoint.id;
      if (!keep) return;
      saver.db.transaction(() => {
        saver.db.prepare("DELETE FROM checkpoints WHERE thread_id = ? AND checkpoint_id != ?").run(id, keep);
        saver.db.prepare("DELETE FROM writes WHERE thread_id = ? AND checkpoint_id != ?").run(id, keep);
      })();
    } else {
      await saver.deleteThread(id);
    }
  }

  /** A finished execution lets the ones it preempted carry on. */
  async releasePreempted(id: string): Promise<void> {
    const preempted = await this.deps.store.db
      .selectFrom("playbook_executions")
      .select("id")
      .where("preempted_by", "=", id)
      .where("status", "=", "paused")
      .execute();
    for (const row of preempted) {
      try {
        await this.resume(row.id, "system", `execution ${id} that preempted it has finished`);
      } catch (err) {
        this.deps.log.warn(
          { err: errorMessage(err), execution_id: row.id },
          "could not resume a preempted execution",
        );
      }
    }
  }

  /**
   * Resume what a previous process left: executions cut off mid-step, waits already over, approvals
   * decided while nothing was running, and paused executions whose thread never reached its hold.
   */
  async recover(): Promise<number> {
    const now = this.deps.clock.now().toISOString();
    let kicked = 0;
    for (const ex of await this.executions.unfinished()) {
      if (this.driving.has(ex.execution_id)) continue;
      let go = false;
      if (ex.status === "running") go = true;
      else if (ex.status === "waiting") go = ex.wake_at !== null && ex.wake_at <= now;
      else if (ex.status === "awaiting_approval") {
        const pending = await this.executions.approvals({ execution_id: ex.execution_id, status: "pending" });
        go = pending.length === 0;
      } else if (ex.status === "paused") {
        const state = await this.graph.getState({ configurable: { thread_id: ex.execution_id } });
        go = !state.tasks.some((t) => (t.interrupts?.length ?? 0) > 0);
      }
      if (go) {
        kicked++;
        void this.kick(ex.execution_id);
      }
    }
    return kicked;
  }

  /** Wake every execution whose wait is over; returns how many. */
  async wakeDue(): Promise<number> {
    const due = await this.executions.dueWaits(this.deps.clock.now().toISOString(), 100_000);
    await Promise.all(due.map((id) => this.kick(id)));
    return due.length;
  }

  /**
   * Boot: subscribe event triggers (durable, so an event published while the service was down still
   * fires), then carry on what the previous process left.
   */
  async start(): Promise<void> {
    this.deps.bus.durable("playbook-triggers", TRIGGER_EVENT_TYPES, async (e) => {
      await this.triggers.onEvent(e);
    });
    await this.recover();
  }

  /** The scheduler tick: wake waits that are over, carry on stalled executions, check triggers. */
  async tick(): Promise<TickReport> {
    const woken = await this.wakeDue();
    const recovered = await this.recover();
    const triggered = await this.triggers.evaluateBook();
    return { woken, recovered, triggered };
  }

  /** Resolves when no execution is being advanced (tests, benches, shutdown). */
  async idle(): Promise<void> {
    while (this.driving.size > 0) await Promise.allSettled([...this.driving.values()]);
  }

  get isDriving(): boolean {
    return this.driving.size > 0;
  }

  /** Stop at once, mid-node (tests that simulate a crash): no graph step starts after this. */
  abortAll(): void {
    this.accepting = false;
    this.abort.abort();
  }

  /** Stop advancing: let in-flight steps reach their next node for up to graceMs, then abort them. */
  async close(graceMs = 5_000): Promise<void> {
    this.accepting = false;
    const all = Promise.allSettled([...this.driving.values()]);
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref()),
    ]);
    if (timedOut) {
      this.abort.abort();
      await Promise.race([all, new Promise((r) => setTimeout(r, 2000).unref())]);
    }
  }
}
