/**
 * Hand-offs between agents: agents never call each other; a requester publishes a durable
 * `handoff.requested`, and the receiver's named durable subscriber turns it into a run of its own, linked by
 * parent_run_id. The receiving run's id derives from the event id, so a redelivered event (at-least-once)
 * finds its run instead of starting a second one, and the requester can name the run before the receiver has
 * even seen the event.
 */
import type { EventPayload } from "../../events/catalogue.js";
import type { AgentDefinition } from "../../graphs/agent.js";
import type { TaskInput } from "../../graphs/agent-graph.js";
import type { AgentDeps } from "../deps.js";
import { describeZodError } from "./task-input.js";

/** The run a hand-off event becomes in the receiving agent. */
export const handoffRunId = (toAgent: string, eventId: string): string => `run_${toAgent}_${eventId}`;

export interface HandoffRequest {
  /** Idempotency key of the hand-off (e.g. `expansion:{opportunity_id}`): a re-run node publishes once. */
  key: string;
  /** The requesting agent. */
  source: string;
  to_agent: string;
  task: Record<string, unknown> & { type: string };
  reason: string;
  account_id: string | null;
  /** The requesting run: the parent of the receiving run. */
  run_id: string;
}

export interface HandoffReceipt {
  event_id: string;
  seq: number;
  /** The run the receiver will start (or has started) for this hand-off. */
  run_id: string;
  /** false when the key had already published this hand-off. */
  fresh: boolean;
}

export async function requestHandoff(
  deps: Pick<AgentDeps, "bus" | "effects">,
  req: HandoffRequest,
): Promise<HandoffReceipt> {
  const { result, fresh } = await deps.effects.once(`handoff:${req.key}`, "handoff", async () => {
    const event = await deps.bus.publish("handoff.requested", {
      source: req.source,
      account_id: req.account_id,
      run_id: req.run_id,
      payload: { to_agent: req.to_agent, task: req.task, reason: req.reason },
    });
    return { event_id: event.id, seq: event.seq };
  });
  return { ...result, run_id: handoffRunId(req.to_agent, result.event_id), fresh };
}

/** Whether a hand-off with this key was already published (requestHandoff remembers each key). */
export async function handoffPublished(deps: Pick<AgentDeps, "effects">, key: string): Promise<boolean> {
  return (await deps.effects.get(`handoff:${key}`)) !== undefined;
}

type Receiver = Pick<AgentDefinition<AgentDeps>, "id" | "taskSchema">;

/**
 * Register `agent`'s durable subscriber for hand-offs addressed to it. A valid task becomes a run; an
 * invalid one raises `alert.raised` for operators and still becomes a run, which its handler rejects
 * (the run fails with the reason), so the failure is visible under the requesting run.
 */
export function subscribeHandoffs(deps: AgentDeps, agent: Receiver): void {
  deps.bus.durable(`handoff:${agent.id}`, ["handoff.requested"], async (event) => {
    const payload = event.payload as EventPayload<"handoff.requested">;
    if (payload.to_agent !== agent.id) return;
    const runId = handoffRunId(agent.id, event.id);
    if (await deps.runs.get(runId)) return; // redelivered: the run exists already

    const parsed = agent.taskSchema.safeParse(payload.task);
    let task: TaskInput;
    if (parsed.success) {
      task = parsed.data;
    } else {
      const problem = describeZodError(parsed.error);
      const type = typeof payload.task.type === "string" ? payload.task.type : "missing";
      await deps.effects.once(`handoff-invalid:${event.id}`, "alert", async () => {
        const alert = await deps.bus.publish("alert.raised", {
          source: agent.id,
          account_id: event.account_id ?? null,
          run_id: runId,
          payload: {
            severity: "warning",
            title: `Invalid hand-off to ${agent.id} from ${event.source} (${type})`,
            reason: `${problem}; the ${agent.id} run ${runId} fails without doing anything`,
          },
        });
        return { event_id: alert.id };
      });
      task = { ...payload.task, type };
    }
    await deps.runs.dispatch({
      agent_id: agent.id,
      task,
      parent_run_id: event.run_id ?? null,
      caller: `handoff:${event.source}`,
      run_id: runId,
    });
  });
}
