import { z } from "zod";
import { badRequest } from "../../errors.js";
import { contextFor, type RenderEnv, type RenderedAction } from "./env.js";
import { inviteEmail } from "./meeting.js";
import { textToHtml } from "./templating.js";

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

/**
 * An approver's edits, checked before they are taken: each field against what may change for the step's
 * type, and an edited agent task against what its agent accepts (`env` is read only for that). Throws a
 * bad request naming the field; returns the edits as validated.
 */
export async function checkEdits(
  action: RenderedAction,
  edits: Record<string, unknown>,
  env: () => Promise<RenderEnv>,
): Promise<Record<string, unknown>> {
  const parsed = EDIT_SCHEMAS[action.type].safeParse(edits);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({
      path: ["edits", ...i.path.map(String)].join("."),
      message: i.message,
    }));
    throw badRequest(`${details[0]!.path}: ${details[0]!.message}`, details);
  }
  if (action.type === "agent_action") {
    const rendered = await env();
    const edited = applyEdits(action, parsed.data, rendered);
    const agent = rendered.agents?.get(action.agent_id);
    const check = agent?.taskSchema.safeParse(edited.type === "agent_action" ? edited.task : {});
    if (check && !check.success) {
      const issue = check.error.issues[0]!;
      throw badRequest(`edits.task.${issue.path.join(".")}: ${issue.message}`);
    }
  }
  return parsed.data as Record<string, unknown>;
}
