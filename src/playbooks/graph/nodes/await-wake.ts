import { interrupt } from "@langchain/langgraph";
import { FINISHED_STATUSES } from "../../schema/statuses.js";
import type { Node, NodeKit } from "../kit.js";
import type { State, Update } from "../state.js";

/** Suspend until the wait is over; woken early (a recovery pass, a moved clock), sleep again. */
export function awaitWakeNode(k: NodeKit): Node {
  const { executions, events, now, load, stepTo, exTo, advance, settled } = k;
  return async function awaitWake(state: State): Promise<Update> {
    const { ex, index, step, row } = await load(state);
    if (!step || step.type !== "wait" || !row?.wake_at) return { route: "enter" };
    const done = settled(ex, step, index, row);
    if (done) return done;
    const wake = new Date(row.wake_at);
    if (now() < wake) {
      if (await executions.transition(ex.execution_id, ["running"], "waiting", { wake_at: row.wake_at }))
        await events.status(ex, "waiting", "running", `until ${row.wake_at}`);
      interrupt({ kind: "wait", wake_at: row.wake_at, step_id: step.id });
      // Woken before its time (a recovery pass or a moved clock): sleep again.
      if (now() < wake) return { route: "await_wake" };
    }
    const current = (await executions.get(ex.execution_id))!;
    if (FINISHED_STATUSES.includes(current.status)) return { route: "end" };
    if (current.status === "paused") return { route: "hold" };
    await exTo(ex, ["waiting"], "running", "wait over");
    await stepTo(ex, step.id, ["waiting"], "completed", {
      output: { wake_at: row.wake_at, woke_at: now().toISOString() },
    });
    return advance(ex, index);
  };
}
