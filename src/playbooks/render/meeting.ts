import { addDays } from "../../domain/calendar.js";
import type { MeetingStep } from "../schema/steps.js";
import { type RenderEnv, RenderError, type RenderedAction, type RenderedEmail } from "./env.js";
import { resolveRecipient } from "./recipients.js";
import { formatSlot, proposeSlots } from "./slots.js";
import { renderSubject, renderText, textToHtml } from "./templating.js";
import type { RenderContext } from "./variables.js";

/** A meeting step: proposed slots, the attendees, the draft invitation and the queue task that holds it. */

export function renderMeeting(step: MeetingStep, env: RenderEnv, ctx: RenderContext): RenderedAction {
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
