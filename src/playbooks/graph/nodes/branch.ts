import { evaluate, factsOf } from "../../conditions/evaluate.js";
import { gatherFacts } from "../../conditions/facts.js";
import { resolveTarget } from "../../schema/definition.js";
import type { Node, NodeKit } from "../kit.js";
import type { State, Update } from "../state.js";

/** A condition step: gather the facts it reads, evaluate it, and jump to its then or else target. */
export function branchNode(k: NodeKit): Node {
  const { deps, steps, renderEnv, now, load, stepTo, settled } = k;
  return async function branch(state: State): Promise<Update> {
    const { ex, index, step, row } = await load(state);
    if (!step || step.type !== "condition") return { route: "enter" };
    const done = settled(ex, step, index, row);
    if (done) return done;
    const env = await renderEnv(ex);
    const facts = await gatherFacts(factsOf(step.condition), {
      db: deps.store.db,
      queue: deps.queue,
      now: now(),
      account: env.account,
      execution: ex,
      steps: await steps.list(ex.execution_id),
    });
    const { result, trace } = evaluate(step.condition, facts);
    const target = result ? step.if_true : step.if_false;
    await stepTo(ex, step.id, ["pending"], "completed", {
      branch: result ? "then" : "else",
      output: { result, branch: result ? "then" : "else", target, trace },
    });
    return { cursor: resolveTarget(target), route: "enter" };
  };
}
