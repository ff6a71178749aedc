import { addDays } from "../../domain/calendar.js";
import type { AgentActionStep, EmailStep, GatedStep, TaskStep } from "../schema/steps.js";
import { contextFor, type RenderEnv, type RenderedAction } from "./env.js";
import { renderMeeting } from "./meeting.js";
import { renderEmail } from "./recipients.js";
import { renderText } from "./templating.js";
import type { RenderContext } from "./variables.js";

/** A gated step (email, meeting, task, agent action) rendered into the action it performs. */

/** Render string leaves of an agent task as templates; the customer's account_id unless given. */
function renderTaskValue(v: unknown, ctx: RenderContext): unknown {
  if (typeof v === "string") return renderText(v, ctx);
  if (Array.isArray(v)) return v.map((x) => renderTaskValue(x, ctx));
  if (v && typeof v === "object")
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, renderTaskValue(x, ctx)]));
  return v;
}

/**
 * The execution's context reaches the agent through the task: its customer (account_id, for every
 * task that takes one) and the rendered fields. A task type without account_id gets none.
 */
export function renderAgentTask(step: AgentActionStep, env: RenderEnv, ctx: RenderContext) {
  const task = renderTaskValue(step.task, ctx) as Record<string, unknown>;
  if ("account_id" in task) return task;
  const withAccount = { account_id: env.account.id, ...task };
  const schema = env.agents?.get(step.agent_id)?.taskSchema;
  if (schema && !schema.safeParse(withAccount).success && schema.safeParse(task).success) return task;
  return withAccount;
}

export function renderAction(step: GatedStep, env: RenderEnv): RenderedAction {
  const ctx = contextFor(env);
  switch (step.type) {
    case "email":
      return { type: "email", ...renderEmail(step as EmailStep, env, ctx) };
    case "meeting":
      return renderMeeting(step, env, ctx);
    case "task": {
      const t = step as TaskStep;
      return {
        type: "task",
        task_type: t.task_type,
        due_date: addDays(env.now, t.due_in_days ?? 0).toISOString(),
        note: t.note ? renderText(t.note, ctx).trim() : "",
        csm_id: env.account.csm_owner,
      };
    }
    case "agent_action":
      return { type: "agent_action", agent_id: step.agent_id, task: renderAgentTask(step, env, ctx) };
  }
}
