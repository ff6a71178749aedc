import type { TaskTypeSlug } from "../../domain/tasks/catalog-schema.js";
import type { PlaybookDeps } from "../deps.js";
import type { RenderedAction, RenderedEmail } from "../render/env.js";
import type { GatedStep } from "../schema/steps.js";
import type { Execution } from "../store/executions.js";

/**
 * The side effects of playbook steps. Each carries an idempotency key made of the execution and the
 * step (and the attempt, for agent runs), so a node that runs again after a crash or a retry returns
 * the first result instead of drafting, queueing or dispatching twice.
 */

/** A failure that retrying cannot fix (invalid task, unknown agent): fail the step at once. */
export class PermanentStepError extends Error {
  constructor(
    message: string,
    readonly output?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** A failed attempt that produced something worth keeping on the step (the failed run's id). */
export class StepAttemptError extends Error {
  constructor(
    message: string,
    readonly output: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface PerformInput {
  deps: PlaybookDeps;
  execution: Execution;
  step: GatedStep;
  action: RenderedAction;
  attempt: number;
  agentTimeoutMs: number;
  /** Shutdown: stop waiting for an agent run (it carries on, and the next process picks it up). */
  signal?: AbortSignal;
}

const effectKey = (ex: Execution, stepId: string, part?: string) =>
  `playbook:${ex.execution_id}:${stepId}${part ? `:${part}` : ""}`;

async function draft(input: PerformInput, email: RenderedEmail, part?: string) {
  const { deps, execution, step } = input;
  const res = await deps.mail.createDraft({
    to: email.to,
    cc: email.cc,
    subject: email.subject,
    text: email.text,
    html: email.html,
    idempotencyKey: effectKey(execution, step.id, part),
    account_id: execution.account_id,
    run_id: execution.execution_id,
    kind: "playbook",
  });
  return {
    draft_id: res.draft_id,
    provider: res.provider,
    to: email.to,
    cc: email.cc,
    subject: email.subject,
    recipient_source: email.recipient_source,
  };
}

async function queueTask(
  input: PerformInput,
  task: { task_type: string; due_date: string; csm_id: string | null },
  metadata: Record<string, unknown>,
) {
  const { deps, execution, step } = input;
  const key = effectKey(execution, step.id, "task");
  const { result } = await deps.effects.once(key, "playbook.task", async () => {
    // The queue's trigger_key makes the create itself idempotent too (a crash between the queue's
    // insert and this effect's record cannot make a second task).
    const { task: created, created: fresh } = await deps.queue.createTask({
      customer_id: execution.account_id,
      task_type: task.task_type as TaskTypeSlug,
      ...(task.csm_id ? { csm_id: task.csm_id } : {}),
      due_date: task.due_date,
      metadata: {
        playbook_id: execution.playbook_id,
        playbook_name: execution.snapshot.name,
        execution_id: execution.execution_id,
        step_id: step.id,
        ...metadata,
      },
      source: `playbook:${execution.execution_id}`,
      trigger_key: key,
    });
    return { task_id: created.id, task_created: fresh };
  });
  return { ...result, task_type: task.task_type, due_date: task.due_date };
}

async function runAgent(input: PerformInput, action: Extract<RenderedAction, { type: "agent_action" }>) {
  const { deps, execution, step, attempt } = input;
  const agent = deps.agents.get(action.agent_id);
  if (!agent) throw new PermanentStepError(`agent ${action.agent_id} is not registered`);
  const parsed = agent.taskSchema.safeParse(action.task);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PermanentStepError(
      `task for ${action.agent_id} is invalid: ${["task", ...issue.path.map(String)].join(".")}: ${issue.message}`,
    );
  }
  // One run per attempt, with an id derived from it: a re-run node finds its run instead of a twin.
  const runId = `run_${execution.execution_id}_${step.id}_a${attempt}`;
  await deps.runs.dispatch({
    agent_id: action.agent_id,
    task: parsed.data,
    caller: `playbook:${execution.execution_id}`,
    run_id: runId,
  });
  const run = await abortable(deps.runs.waitFor(runId, input.agentTimeoutMs), input.signal);
  const output = { run_id: runId, agent_id: action.agent_id, status: run.status, result: run.result };
  if (run.status !== "succeeded")
    throw new StepAttemptError(`agent run ${runId} ended ${run.status}: ${run.error ?? "no result"}`, output);
  return output;
}

/** The promise, or a rejection as soon as the signal aborts (the promise itself is left to settle). */
function abortable<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new Error("aborted"));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}

/** Do what a rendered step says; the returned object is the step's output. */
export async function perform(input: PerformInput): Promise<Record<string, unknown>> {
  const { action } = input;
  switch (action.type) {
    case "email":
      return draft(input, action);
    case "task":
      return queueTask(input, action, { note: action.note });
    case "meeting": {
      const invite = await draft(input, action.invite, "invite");
      const task = await queueTask(input, action.task, {
        meeting: {
          title: action.title,
          agenda: action.agenda,
          attendees: action.attendees,
          proposed_slots: action.proposed_slots,
          duration_minutes: action.duration_minutes,
          draft_id: invite.draft_id,
        },
      });
      return {
        draft_id: invite.draft_id,
        provider: invite.provider,
        to: invite.to,
        subject: invite.subject,
        ...task,
        title: action.title,
        attendees: action.attendees,
        proposed_slots: action.proposed_slots,
      };
    }
    case "agent_action":
      return runAgent(input, action);
  }
}
