import { Command } from "@langchain/langgraph";
import { badRequest, conflict, errorMessage, notFound } from "../errors.js";
import { ThreadRunner } from "../graphs/thread-runner.js";
import type { ExecutionControl, StartExecutionInput } from "./control.js";
import type { PlaybookDeps } from "./deps.js";
import { PlaybookEvents } from "./events.js";
import { buildExecutionGraph, type ExecutionGraph } from "./graph/build.js";
import { checkEdits } from "./render/edits.js";
import { type RenderEnv, RenderError, type RenderedAction } from "./render/env.js";
import { ACTIVE_STATUSES, type ApprovalDecision, FINISHED_STATUSES } from "./schema/statuses.js";
import { ApprovalRepo } from "./store/approvals.js";
import { type Execution, type ExecutionFlags, ExecutionRepo } from "./store/executions.js";
import { StepRepo } from "./store/steps.js";
import { definitionOf, PlaybookRepo } from "./store/templates.js";
import { TRIGGER_EVENT_TYPES } from "./triggers/match.js";
import { type FireReport, TriggerService } from "./triggers/service.js";

export interface TickReport {
  woken: number;
  recovered: number;
  triggered: FireReport;
}

const threadOf = (id: string) => ({ configurable: { thread_id: id } });

/**
 * Runs playbook executions: starts them, advances each one's graph thread until its next suspension
 * (a wait, an approval, a pause, or the end), and takes the decisions that resume them: approvals,
 * pause/resume/cancel, the scheduler tick that wakes finished waits, and recovery after a restart.
 *
 * Threads are advanced on a thread runner: an execution is advanced by at most one graph invocation at
 * a time (a decision taken meanwhile makes it go round again), and at most PLAYBOOK_CONCURRENCY
 * executions advance at once.
 */
export class PlaybookEngine implements ExecutionControl {
  readonly templates: PlaybookRepo;
  readonly executions: ExecutionRepo;
  readonly steps: StepRepo;
  readonly approvals: ApprovalRepo;
  readonly events: PlaybookEvents;
  readonly triggers: TriggerService;
  private readonly graph: ExecutionGraph;
  private readonly runner: ThreadRunner;

  constructor(private readonly deps: PlaybookDeps) {
    const { db } = deps.store;
    this.templates = new PlaybookRepo(db, deps.clock);
    this.executions = new ExecutionRepo(db, deps.clock);
    this.steps = new StepRepo(db, deps.clock);
    this.approvals = new ApprovalRepo(db, deps.clock);
    this.events = new PlaybookEvents(deps.bus);
    this.triggers = new TriggerService({
      deps,
      templates: this.templates,
      executions: this.executions,
      events: this.events,
      control: this,
    });
    const c = deps.config;
    this.runner = new ThreadRunner({
      concurrency: c.PLAYBOOK_CONCURRENCY,
      checkpointer: deps.runs.checkpointer,
      onError: (err, id) => deps.log.error({ err, execution_id: id }, "playbook execution could not advance"),
    });
    this.graph = buildExecutionGraph(
      {
        deps,
        executions: this.executions,
        steps: this.steps,
        approvals: this.approvals,
        events: this.events,
        renderEnv: (ex) => this.renderEnv(ex),
        settings: {
          maxAttempts: c.PLAYBOOK_STEP_MAX_ATTEMPTS,
          retryDelayMs: c.PLAYBOOK_RETRY_DELAY_MS,
          agentTimeoutMs: c.PLAYBOOK_AGENT_TIMEOUT_MS,
        },
      },
      deps.runs.checkpointer,
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
  async startExecution(input: StartExecutionInput): Promise<{ execution: Execution; created: boolean }> {
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
    for (const stepId of await this.steps.skipRemaining(id)) await this.events.step(ex, stepId, "skipped");
    await this.approvals.cancelPending(id);
    await this.events.finished(ex, "cancelled");
    // A suspended thread never runs again: drop its checkpoints now (a running one is pruned when it stops).
    if (!this.runner.isBusy(id)) await this.runner.prune(id);
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
    const approval = await this.approvals.get(approvalId);
    if (!approval) throw notFound(`approval ${approvalId}`);
    if (approval.status !== "pending")
      throw conflict(`approval ${approvalId} is already ${approval.status}`, { status: approval.status });
    const ex = await this.get(approval.execution_id);
    let edits: Record<string, unknown> | null = null;
    if (input.decision === "edit") {
      if (!input.edits || Object.keys(input.edits).length === 0)
        throw badRequest("decision edit needs edits");
      edits = await checkEdits(approval.request.action as RenderedAction, input.edits, () =>
        this.renderEnv(ex),
      );
    } else if (input.edits) {
      throw badRequest(`edits are only taken with decision "edit"`);
    }
    const decided = await this.approvals.decide(approvalId, {
      decision: input.decision,
      edits,
      comment: input.comment ?? null,
      by,
    });
    if (!decided) {
      const now = await this.approvals.get(approvalId);
      throw conflict(`approval ${approvalId} is already ${now?.status}`, { status: now?.status });
    }
    await this.events.decided(ex, approvalId, input.decision, by);
    if (ex.status !== "paused") void this.kick(ex.execution_id);
    return (await this.approvals.get(approvalId))!;
  }

  /** A finished execution lets the ones it preempted carry on. */
  async releasePreempted(id: string): Promise<void> {
    for (const preempted of await this.executions.preemptedBy(id)) {
      try {
        await this.resume(preempted, "system", `execution ${id} that preempted it has finished`);
      } catch (err) {
        this.deps.log.warn(
          { err: errorMessage(err), execution_id: preempted },
          "could not resume a preempted execution",
        );
      }
    }
  }

  // --- driving the graph -----------------------------------------------------------------------------------

  /** Advance an execution until its thread suspends or ends. */
  private kick(id: string): Promise<void> {
    return this.runner.run(id, (signal) => this.drive(id, signal));
  }

  private async drive(id: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    const config = threadOf(id);
    const ex = await this.executions.get(id);
    if (!ex) return;
    const state = await this.graph.getState(config);
    let input: unknown;
    if (state.next.length > 0) {
      // Suspended at an interrupt: resume it (the node re-reads the store); cut off mid-node: re-run it.
      const interrupted = state.tasks.some((t) => (t.interrupts?.length ?? 0) > 0);
      input = interrupted ? new Command({ resume: { at: this.deps.clock.now().toISOString() } }) : null;
    } else if (FINISHED_STATUSES.includes(ex.status)) {
      await this.runner.prune(id);
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
    await this.graph.invoke(input as never, {
      ...config,
      recursionLimit: 10_000,
      signal,
      // Checkpoint when the thread suspends or ends, not after every node: step progress lives in the
      // store, every node first checks what is already done there, and every effect has an
      // idempotency key, so a crash replays from the last suspension without repeating anything.
      durability: "exit",
    });
    const after = await this.executions.get(id);
    if (after && FINISHED_STATUSES.includes(after.status)) {
      // A finished thread keeps only its newest checkpoint: its final state stays readable.
      await this.runner.prune(id);
      await this.releasePreempted(id);
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
      if (this.runner.isBusy(ex.execution_id)) continue;
      let go = false;
      if (ex.status === "running") go = true;
      else if (ex.status === "waiting") go = ex.wake_at !== null && ex.wake_at <= now;
      else if (ex.status === "awaiting_approval") {
        const pending = await this.approvals.list({ execution_id: ex.execution_id, status: "pending" });
        go = pending.length === 0;
      } else if (ex.status === "paused") {
        const state = await this.graph.getState(threadOf(ex.execution_id));
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
  idle(): Promise<void> {
    return this.runner.idle();
  }

  get isDriving(): boolean {
    return this.runner.isWorking;
  }

  /** Stop at once, mid-node (tests that simulate a crash): no graph step starts after this. */
  abortAll(): void {
    this.runner.abortAll();
  }

  /** Stop advancing: let in-flight steps reach their next node for up to graceMs, then abort them. */
  close(graceMs = 5_000): Promise<void> {
    return this.runner.drain(graceMs);
  }
}
