import type { AgentDeps } from "../agents/deps.js";
import { MS_PER_DAY, MS_PER_HOUR } from "../domain/calendar.js";
import type { Account } from "../domain/types.js";
import { errorMessage } from "../errors.js";
import type { AgentDefinition } from "../graphs/agent.js";
import { evaluate, factsOf } from "./conditions/evaluate.js";
import { gatherFacts } from "./conditions/facts.js";
import type { QueuePort } from "./deps.js";
import { renderAction } from "./render/action.js";
import type { RenderEnv } from "./render/env.js";
import { describeStep, wakeAt } from "./render/waits.js";
import { type Definition, nextStepId, resolveTarget } from "./schema/definition.js";
import { isGated } from "./schema/steps.js";
import { type Problem, validateForPublish } from "./validate.js";

/**
 * Preview: every step rendered for one customer, with no side effect: nothing is drafted,
 * queued, dispatched or stored. The steps on the path the execution would take now are rendered as
 * of the day they would run (waits move a simulated clock), so dates and countdowns read as they will.
 * Conditions are evaluated on today's facts; a reply or a held meeting counts as not yet happened.
 */

export interface PreviewInput {
  definition: Definition;
  account: Account;
  contact_email: string | null;
  now: Date;
  db: AgentDeps["store"]["db"];
  queue: QueuePort;
  agents: ReadonlyMap<string, AgentDefinition<AgentDeps>>;
  sales_fallback_email: string | null;
}

export async function previewPlaybook(input: PreviewInput) {
  const { definition: def, account, now } = input;
  const at = new Map<string, Date>();
  const conditions = new Map<string, ReturnType<typeof evaluate> & { target: string }>();
  const waits = new Map<string, string | null>();
  const path: string[] = [];

  let cursor: string | null = def.steps[0]?.id ?? null;
  let sim = now;
  while (cursor !== null) {
    const i = def.steps.findIndex((s) => s.id === cursor);
    const step = def.steps[i];
    if (!step) break;
    path.push(step.id);
    at.set(step.id, sim);
    if (step.type === "wait") {
      const wake = wakeAt(step, { account, now: sim, started_at: now });
      waits.set(step.id, wake?.toISOString() ?? null);
      if (wake && wake > sim) sim = wake;
      cursor = nextStepId(def, i);
    } else if (step.type === "condition") {
      const names = factsOf(step.condition);
      const facts: Record<string, unknown> = {
        ...(await gatherFacts(names, { db: input.db, queue: input.queue, now, account })),
      };
      const elapsed = sim.getTime() - now.getTime();
      if (names.has("elapsed_days")) facts.elapsed_days = Math.floor(elapsed / MS_PER_DAY);
      if (names.has("elapsed_hours")) facts.elapsed_hours = Math.floor(elapsed / MS_PER_HOUR);
      const ev = evaluate(step.condition, facts);
      const target = ev.result ? step.if_true : step.if_false;
      conditions.set(step.id, { ...ev, target });
      cursor = resolveTarget(target);
    } else {
      cursor = nextStepId(def, i);
    }
  }

  const steps = def.steps.map((step, position) => {
    const when = at.get(step.id) ?? now;
    const base = {
      step_id: step.id,
      name: step.name,
      type: step.type,
      position,
      description: describeStep(step),
      on_path: at.has(step.id),
      runs_at: at.has(step.id) ? when.toISOString() : null,
      require_approval: isGated(step) ? step.require_approval : false,
    };
    if (step.type === "wait") {
      const wake =
        waits.get(step.id) ?? wakeAt(step, { account, now: when, started_at: now })?.toISOString() ?? null;
      return { ...base, wait: { wake_at: wake, passed_over: wake === null } };
    }
    if (step.type === "condition") {
      const c = conditions.get(step.id);
      return {
        ...base,
        condition: c
          ? { result: c.result, branch: c.result ? "then" : "else", target: c.target, trace: c.trace }
          : { result: null, branch: null, target: null, trace: [] },
      };
    }
    const env: RenderEnv = {
      account,
      execution_id: "preview",
      playbook_name: def.name,
      contact_email: input.contact_email,
      started_at: now,
      now: when,
      sales_fallback_email: input.sales_fallback_email,
      agents: input.agents,
    };
    try {
      return { ...base, rendered: renderAction(step, env), error: null };
    } catch (err) {
      return { ...base, rendered: null, error: errorMessage(err) };
    }
  });

  const problems: Problem[] = validateForPublish(def, input.agents, input.sales_fallback_email);
  return {
    account_id: account.id,
    account_name: account.name,
    playbook_name: def.name,
    generated_at: now.toISOString(),
    path,
    estimated_completion_at: sim.toISOString(),
    steps,
    problems,
  };
}
