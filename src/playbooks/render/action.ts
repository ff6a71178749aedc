import { z } from "zod";
import type { AgentDeps } from "../../agents/deps.js";
import { addDays, MS_PER_DAY, tryParseIso } from "../../domain/calendar.js";
import type { Account } from "../../domain/types.js";
import type { AgentDefinition } from "../../graphs/agent.js";
import { describeCondition } from "../conditions/evaluate.js";
import type {
  AgentActionStep,
  Duration,
  EmailStep,
  GatedStep,
  MeetingStep,
  Step,
  TaskStep,
  WaitStep,
} from "../schema/steps.js";
import { formatSlot, proposeSlots } from "./slots.js";
import { renderSubject, renderText, textToHtml } from "./templating.js";
import { buildContext, type RenderContext } from "./variables.js";

/**
 * A step rendered for one customer: exactly what it will do. The same rendering is what a preview
 * shows, what an approver reviews (and may edit), and what the step then executes.
 */

export interface RenderEnv {
  account: Account;
  execution_id: string;
  playbook_name: string;
  contact_email: string | null;
  /** When the execution started (waits anchored on it). */
  started_at: Date;
  now: Date;
  sales_fallback_email: string | null;
  /** The agent registry, to shape agent tasks to what each agent accepts. */
  agents?: ReadonlyMap<string, AgentDefinition<AgentDeps>>;
}

export interface RenderedEmail {
  to: string;
  cc: string[];
  subject: string;
  text: string;
  html: string;
  /** Where the To address came from; "csm_fallback" means the CSM addresses it before sending. */
  recipient_source: "contact" | "csm_fallback" | "csm" | "account_executive" | "template";
}

export type RenderedAction =
  | ({ type: "email" } & RenderedEmail)
  | {
      type: "meeting";
      title: string;
      agenda: string;
      duration_minutes: number;
      attendees: string[];
      proposed_slots: Array<{ start: string; end: string }>;
      invite: RenderedEmail;
      task: { task_type: string; due_date: string; csm_id: string | null };
    }
  | { type: "task"; task_type: string; due_date: string; note: string; csm_id: string | null }
  | { type: "agent_action"; agent_id: string; task: Record<string, unknown> };

export class RenderError extends Error {}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export const contextFor = (env: RenderEnv): RenderContext =>
  buildContext(
    env.account,
    { execution_id: env.execution_id, playbook_name: env.playbook_name, contact_email: env.contact_email },
    env.now,
  );

function resolveRecipient(
  spec: string,
  env: RenderEnv,
  ctx: RenderContext,
): { address: string; source: RenderedEmail["recipient_source"] } {
  const a = env.account;
  if (spec === "customer") {
    if (env.contact_email) return { address: env.contact_email, source: "contact" };
    if (a.csm_owner) return { address: a.csm_owner, source: "csm_fallback" };
    throw new RenderError("no customer contact given and the account has no CSM owner to address the draft");
  }
  if (spec === "csm") {
    if (a.csm_owner) return { address: a.csm_owner, source: "csm" };
    throw new RenderError("the account has no CSM owner");
  }
  if (spec === "account_executive") {
    const address = a.account_executive ?? env.sales_fallback_email;
    if (address) return { address, source: "account_executive" };
    throw new RenderError("the account has no account executive and SALES_FALLBACK_EMAIL is not set");
  }
  const address = renderText(spec, ctx).trim();
  if (!EMAIL.test(address))
    throw new RenderError(`recipient "${spec}" rendered to "${address}", not an email address`);
  return { address, source: "template" };
}

function renderEmail(
  spec: { to: string; cc: string[]; subject: string; body: string },
  env: RenderEnv,
  ctx: RenderContext,
): RenderedEmail {
  const to = resolveRecipient(spec.to, env, ctx);
  const cc = spec.cc.map((c) => resolveRecipient(c, env, ctx).address).filter((c) => c !== to.address);
  const text = renderText(spec.body, ctx).trim();
  return {
    to: to.address,
    cc: [...new Set(cc)],
    subject: renderSubject(spec.subject, ctx),
    text,
    html: textToHtml(text),
    recipient_source: to.source,
  };
}

function renderMeeting(step: MeetingStep, env: RenderEnv, ctx: RenderContext): RenderedAction {
  const title = renderSubject(step.title, ctx);
  const agenda = renderText(step.agenda, ctx).trim();
  const attendees = [...new Set(step.attendees.map((r) => resolveRecipient(r, env, ctx).address))];
  const proposed_slots = proposeSlots(env.now, { ...step.slots, duration_minutes: step.duration_minutes });
  return {
    type: "meeting",
    title,
    agenda,
    duration_minutes: step.duration_minutes,
    attendees,
    proposed_slots,
    invite: inviteEmail(
      { title, agenda, attendees, proposed_slots, duration_minutes: step.duration_minutes },
      env,
      ctx,
    ),
    task: {
      task_type: step.task_type,
      due_date: proposed_slots[0]?.start ?? addDays(env.now, step.slots.earliest_in_days).toISOString(),
      csm_id: env.account.csm_owner,
    },
  };
}

/** The draft invitation: proposed times, agenda, and a request to pick one. */
export function inviteEmail(
  m: {
    title: string;
    agenda: string;
    attendees: string[];
    proposed_slots: Array<{ start: string; end: string }>;
    duration_minutes: number;
  },
  env: RenderEnv,
  ctx: RenderContext,
): RenderedEmail {
  const [first, ...rest] = m.attendees;
  if (!first) throw new RenderError("a meeting needs at least one attendee");
  const csm = (ctx.csm as { name: string }).name;
  const greeting = (ctx.contact as { name: string }).name;
  const text = [
    `Hi ${greeting},`,
    `I'd like to set up "${m.title}" (${m.duration_minutes} minutes). Would one of these times work for you?`,
    m.proposed_slots.map((s) => `- ${formatSlot(s.start)}`).join("\n"),
    `Agenda:\n${m.agenda}`,
    "Reply with the time that suits you best, or suggest another, and I'll send the calendar invitation.",
    `Best,\n${csm}`,
  ].join("\n\n");
  return {
    to: first,
    cc: rest,
    subject: `Invitation: ${m.title}`,
    text,
    html: textToHtml(text),
    recipient_source:
      first === env.contact_email ? "contact" : first === env.account.csm_owner ? "csm_fallback" : "template",
  };
}

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

// --- waits -------------------------------------------------------------------------------------------------

export const durationMs = (d: Duration): number =>
  ((d.days ?? 0) * 24 * 60 + (d.hours ?? 0) * 60 + (d.minutes ?? 0)) * 60_000;

/**
 * When a wait ends, computed on entering it: now + duration, or the anchor date + offset. null when
 * the anchor date is unknown (the wait is then passed over, and says why).
 */
export function wakeAt(step: WaitStep, env: Pick<RenderEnv, "account" | "now" | "started_at">): Date | null {
  if (step.duration) return new Date(env.now.getTime() + durationMs(step.duration));
  const u = step.until!;
  const anchor =
    u.anchor === "execution_start"
      ? env.started_at
      : (() => {
          const iso = env.account[u.anchor];
          return iso ? tryParseIso(iso) : null;
        })();
  if (!anchor) return null;
  return new Date(anchor.getTime() + u.offset_days * MS_PER_DAY);
}

export function describeWait(step: WaitStep): string {
  if (step.duration) {
    const parts = [
      step.duration.days ? `${step.duration.days} day(s)` : "",
      step.duration.hours ? `${step.duration.hours} hour(s)` : "",
      step.duration.minutes ? `${step.duration.minutes} minute(s)` : "",
    ].filter(Boolean);
    return `wait ${parts.join(" ")}`;
  }
  const u = step.until!;
  const off = u.offset_days;
  const anchor = u.anchor.replace("_", " ");
  return off === 0
    ? `wait until ${anchor}`
    : `wait until ${Math.abs(off)} day(s) ${off < 0 ? "before" : "after"} ${anchor}`;
}

export const describeStep = (step: Step): string =>
  step.type === "wait"
    ? describeWait(step)
    : step.type === "condition"
      ? `if ${describeCondition(step.condition)} then go to ${step.if_true}, else to ${step.if_false}`
      : step.name;

// --- approval edits ----------------------------------------------------------------------------------------

/** What an approver may change, per step type; values are final text, not templates. */
const slot = z.strictObject({ start: z.iso.datetime(), end: z.iso.datetime() });
export const EDIT_SCHEMAS = {
  email: z.strictObject({
    to: z.email().optional(),
    cc: z.array(z.email()).max(10).optional(),
    subject: z.string().min(1).max(300).optional(),
    text: z.string().min(1).max(20_000).optional(),
  }),
  meeting: z.strictObject({
    title: z.string().min(1).max(200).optional(),
    agenda: z.string().min(1).max(10_000).optional(),
    attendees: z.array(z.email()).min(1).max(10).optional(),
    proposed_slots: z.array(slot).min(1).max(10).optional(),
  }),
  task: z.strictObject({
    due_date: z.iso.datetime().optional(),
    note: z.string().max(5_000).optional(),
  }),
  agent_action: z.strictObject({ task: z.looseObject({ type: z.string().min(1) }).optional() }),
} as const;

/** Apply validated edits to a rendered action (the edited fields replace the rendered ones). */
export function applyEdits(
  action: RenderedAction,
  edits: Record<string, unknown>,
  env: RenderEnv,
): RenderedAction {
  switch (action.type) {
    case "email": {
      const e = EDIT_SCHEMAS.email.parse(edits);
      const text = e.text ?? action.text;
      return {
        ...action,
        ...(e.to ? { to: e.to, recipient_source: "template" as const } : {}),
        ...(e.cc ? { cc: e.cc } : {}),
        ...(e.subject ? { subject: e.subject.replace(/[\r\n]+/g, " ") } : {}),
        text,
        html: textToHtml(text),
      };
    }
    case "meeting": {
      const e = EDIT_SCHEMAS.meeting.parse(edits);
      const next = {
        title: e.title ?? action.title,
        agenda: e.agenda ?? action.agenda,
        attendees: e.attendees ?? action.attendees,
        proposed_slots: e.proposed_slots ?? action.proposed_slots,
        duration_minutes: action.duration_minutes,
      };
      return {
        ...action,
        ...next,
        invite: inviteEmail(next, env, contextFor(env)),
        task: { ...action.task, due_date: next.proposed_slots[0]?.start ?? action.task.due_date },
      };
    }
    case "task": {
      const e = EDIT_SCHEMAS.task.parse(edits);
      return {
        ...action,
        ...(e.due_date ? { due_date: e.due_date } : {}),
        ...(e.note !== undefined ? { note: e.note } : {}),
      };
    }
    case "agent_action": {
      const e = EDIT_SCHEMAS.agent_action.parse(edits);
      return e.task ? { ...action, task: e.task } : action;
    }
  }
}
