import { wakeAt } from "../../render/waits.js";
import type { Node, NodeKit } from "../kit.js";
import type { State, Update } from "../state.js";

/**
 * Entering a wait: work out when it ends and record it on the step (the tick wakes it from there). A
 * wait anchored on a date the account lacks is passed over, and says why.
 */
export function scheduleWaitNode(k: NodeKit): Node {
  const { renderEnv, load, stepTo, advance, settled } = k;
  return async function scheduleWait(state: State): Promise<Update> {
    const { ex, index, step, row } = await load(state);
    if (!step || step.type !== "wait" || !row) return { route: "enter" };
    const done = settled(ex, step, index, row);
    if (done) return done;
    if (row.wake_at) return { route: "await_wake" };
    const env = await renderEnv(ex);
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
  };
}
