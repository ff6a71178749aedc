/**
 * The CSM task queue over HTTP, under /v1/cs: the queue, task actions, outcome views, task types and
 * call playbooks. The CSM is the caller: the API key's csm_id. A key with cs:team (or admin) may pass csm_id to read another CSM's queue and may act
 * on any task; a CSM touching another CSM's task gets 403.
 */
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { tryParseIso } from "../../domain/calendar.js";
import { isTimeZone } from "../../domain/local-day.js";
import { TASK_PRIORITIES } from "../../domain/priority.js";
import { TaskTypeSlugSchema } from "../../domain/tasks/catalog-schema.js";
import { badRequest, forbidden, notFound } from "../../errors.js";
import {
  type Actor,
  CHANNELS,
  COMPLETION_OUTCOME_TYPES,
  OBJECTIVE_ACHIEVED,
  QUEUE_STATUSES,
  SENTIMENTS,
} from "../../queue/types.js";
import { requireScope } from "../auth.js";
import { hasScope } from "../keys.js";
import type { RouteModule } from "../route.js";

const instant = z
  .string()
  .refine(
    (v) => tryParseIso(v) !== null,
    "expected an ISO-8601 date or date-time, e.g. 2026-03-01T09:00:00Z",
  );
const toIso = (v: string): string => tryParseIso(v)!.toISOString();
const taskParams = z.object({ id: z.coerce.number().int().positive() });
const reason = z.string().trim().min(1).max(2000);

function actorOf(req: FastifyRequest): Actor {
  const key = req.apiKey!;
  return { name: key.name, csm_id: key.csm_id ?? null, can_act_for_others: hasScope(key, "cs:team") };
}

/** The CSM a listing is for: the caller's own, or (cs:team) the one asked for. */
function csmFor(req: FastifyRequest, requested: string | undefined): string {
  const key = req.apiKey!;
  if (requested !== undefined && requested !== key.csm_id) {
    if (!hasScope(key, "cs:team")) {
      throw forbidden(`API key ${key.name} may only read its own CSM's tasks (cs:team reads others')`);
    }
    return requested;
  }
  const csm = requested ?? key.csm_id;
  if (!csm) throw badRequest(`API key ${key.name} is not bound to a CSM: pass csm_id`);
  return csm;
}

export const csRoutes: RouteModule = (app, runtime) => {
  const queue = runtime.queue;
  const tags = ["cs"];

  app.get(
    "/v1/cs/csm-tasks/queue",
    {
      preHandler: requireScope("cs:tasks"),
      schema: {
        tags,
        summary: "The CSM's task queue by priority_score (highest first); snoozed tasks hidden until due",
        querystring: z.strictObject({
          csm_id: z.string().min(1).optional().describe("another CSM's queue (needs cs:team)"),
          status: z.enum(QUEUE_STATUSES).optional(),
          task_type: TaskTypeSlugSchema.optional(),
          priority: z.enum(TASK_PRIORITIES).optional(),
          due_before: instant.optional(),
          due_after: instant.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().min(1).optional().describe("next_cursor of the previous page"),
        }),
      },
    },
    async (req) => {
      const q = req.query;
      const csm_id = csmFor(req, q.csm_id);
      return queue.list(
        {
          csm_id,
          status: q.status,
          task_type: q.task_type,
          priority: q.priority,
          due_before: q.due_before ? toIso(q.due_before) : undefined,
          due_after: q.due_after ? toIso(q.due_after) : undefined,
        },
        { limit: q.limit, cursor: q.cursor ?? null },
      );
    },
  );

  app.get(
    "/v1/cs/csm-tasks/queue/summary",
    {
      preHandler: requireScope("cs:tasks"),
      schema: {
        tags,
        summary: "Today's summary of the CSM's queue: open, due today, overdue, urgent, and snoozed (hidden)",
        querystring: z.strictObject({
          csm_id: z.string().min(1).optional().describe("another CSM's queue (needs cs:team)"),
          tz: z
            .string()
            .refine(isTimeZone, "expected an IANA time zone such as Europe/Berlin")
            .default("UTC")
            .describe("the time zone whose day 'today' is"),
        }),
      },
    },
    async (req) => queue.summary(csmFor(req, req.query.csm_id), req.query.tz),
  );

  app.post(
    "/v1/cs/csm-tasks/generate",
    {
      preHandler: requireScope("cs:tasks"),
      schema: {
        tags,
        summary: "Run the generation rules now: for the caller's customers, or (cs:team) all or one CSM's",
        body: z
          .strictObject({
            customer_ids: z.array(z.string().min(1)).min(1).max(1000).optional(),
            csm_id: z.string().min(1).optional(),
          })
          .default({}),
      },
    },
    async (req) => {
      const key = req.apiKey!;
      const body = req.body ?? {};
      const team = hasScope(key, "cs:team");
      // A CSM generates for their own book; a manager for the whole team unless they name a CSM.
      const csm_id = body.csm_id ?? (team ? undefined : csmFor(req, undefined));
      if (body.csm_id !== undefined) csmFor(req, body.csm_id);
      const result = await queue.generate({
        customer_ids: body.customer_ids,
        csm_id,
        source: `api:${key.name}`,
      });
      return {
        tasks_created: result.tasks_created,
        tasks_skipped: result.tasks_skipped,
        skipped_reasons: result.skipped_reasons,
        accounts_scanned: result.accounts_scanned,
        tasks_refreshed: result.tasks_refreshed,
        created: result.created,
      };
    },
  );

  app.get(
    "/v1/cs/csm-tasks/outcomes/weekly",
    {
      preHandler: requireScope("cs:tasks"),
      schema: {
        tags,
        summary: "The CSM's outcome metrics for a week (default this week) and the trend against last week",
        querystring: z.strictObject({
          csm_id: z.string().min(1).optional(),
          week_of: instant.optional().describe("any instant in the week wanted"),
        }),
      },
    },
    async (req) => {
      const csm_id = csmFor(req, req.query.csm_id);
      const at = req.query.week_of ? new Date(toIso(req.query.week_of)) : undefined;
      return queue.weeklyOutcomes(csm_id, at);
    },
  );

  app.get(
    "/v1/cs/csm-tasks/outcomes/team",
    {
      preHandler: requireScope("cs:team"),
      schema: {
        tags,
        summary: "Manager view: every CSM's weekly outcomes, open and overdue work, and team totals",
        querystring: z.strictObject({ week_of: instant.optional() }),
      },
    },
    async (req) => {
      const at = req.query.week_of ? new Date(toIso(req.query.week_of)) : undefined;
      return queue.teamView(at);
    },
  );

  app.get(
    "/v1/cs/csm-tasks/:id",
    {
      preHandler: requireScope("cs:tasks"),
      schema: { tags, summary: "A task with its call playbook and customer context", params: taskParams },
    },
    async (req) => queue.detail(req.params.id, actorOf(req)),
  );

  app.post(
    "/v1/cs/csm-tasks/:id/start",
    {
      preHandler: requireScope("cs:tasks"),
      schema: { tags, summary: "pending -> in_progress", params: taskParams },
    },
    async (req) => ({ task: await queue.start(req.params.id, actorOf(req)) }),
  );

  app.post(
    "/v1/cs/csm-tasks/:id/complete",
    {
      preHandler: requireScope("cs:tasks"),
      schema: {
        tags,
        summary: "Validate quality gates (422 lists every problem), save the outcome, leave the queue",
        params: taskParams,
        body: z.strictObject({
          outcome_type: z.enum(COMPLETION_OUTCOME_TYPES).default("completed"),
          objective_achieved: z.enum(OBJECTIVE_ACHIEVED),
          sentiment: z.enum(SENTIMENTS).nullable().optional(),
          quality_gates: z.record(z.string(), z.unknown()).default({}),
          notes: z.string().max(10_000).default(""),
          next_action: z
            .union([
              z.string().trim().min(1).max(2000),
              z.strictObject({
                notes: z.string().trim().min(1).max(2000),
                date: instant.nullable().optional(),
              }),
            ])
            .nullable()
            .optional(),
          blocker_reason: z.string().max(2000).nullable().optional(),
          channel: z.enum(CHANNELS).default("call"),
        }),
      },
    },
    async (req) => {
      const b = req.body;
      const next = typeof b.next_action === "string" ? { notes: b.next_action } : (b.next_action ?? null);
      return queue.complete(
        req.params.id,
        {
          outcome_type: b.outcome_type,
          objective_achieved: b.objective_achieved,
          sentiment: b.sentiment ?? null,
          quality_gates: b.quality_gates,
          notes: b.notes,
          next_action: next,
          blocker_reason: b.blocker_reason ?? null,
          channel: b.channel,
        },
        actorOf(req),
      );
    },
  );

  app.post(
    "/v1/cs/csm-tasks/:id/reschedule",
    {
      preHandler: requireScope("cs:tasks"),
      schema: {
        tags,
        summary: "Set a new due date (recorded as an outcome with the reason)",
        params: taskParams,
        body: z.strictObject({ new_due_date: instant, reason }),
      },
    },
    async (req) => queue.reschedule(req.params.id, req.body, actorOf(req)),
  );

  app.post(
    "/v1/cs/csm-tasks/:id/escalate",
    {
      preHandler: requireScope("cs:tasks"),
      schema: {
        tags,
        summary: "in_progress -> escalated, with an escalation record and a task.escalated event",
        params: taskParams,
        body: z.strictObject({
          reason,
          escalate_to: z.string().trim().min(1).max(320).nullable().optional(),
        }),
      },
    },
    async (req) => queue.escalate(req.params.id, req.body, actorOf(req)),
  );

  app.post(
    "/v1/cs/csm-tasks/:id/snooze",
    {
      preHandler: requireScope("cs:tasks"),
      schema: {
        tags,
        summary: "pending -> snoozed until snooze_until (hidden from the queue until then)",
        params: taskParams,
        body: z.strictObject({ snooze_until: instant, reason: reason.optional() }),
      },
    },
    async (req) => ({ task: await queue.snooze(req.params.id, req.body, actorOf(req)) }),
  );

  app.post(
    "/v1/cs/csm-tasks/:id/block",
    {
      preHandler: requireScope("cs:tasks"),
      schema: {
        tags,
        summary: "in_progress -> blocked, recording the blocker",
        params: taskParams,
        body: z.strictObject({ reason }),
      },
    },
    async (req) => queue.block(req.params.id, req.body, actorOf(req)),
  );

  app.post(
    "/v1/cs/csm-tasks/:id/cancel",
    {
      preHandler: requireScope("cs:tasks"),
      schema: {
        tags,
        summary: "in_progress -> cancelled, recording why",
        params: taskParams,
        body: z.strictObject({ reason }),
      },
    },
    async (req) => queue.cancel(req.params.id, req.body, actorOf(req)),
  );

  app.get(
    "/v1/cs/task-types",
    { preHandler: requireScope("read"), schema: { tags, summary: "The task types" } },
    async () => ({ items: await queue.taskTypes() }),
  );

  app.get(
    "/v1/cs/task-types/:id",
    {
      preHandler: requireScope("read"),
      schema: {
        tags,
        summary: "A task type (by id or slug) with its call playbook",
        params: z.object({ id: z.string().min(1) }),
      },
    },
    async (req) => {
      const found = await queue.taskType(req.params.id);
      if (!found) throw notFound(`task type ${req.params.id}`);
      return found;
    },
  );

  app.get(
    "/v1/cs/csm-playbooks",
    { preHandler: requireScope("read"), schema: { tags, summary: "Call playbooks with their task types" } },
    async () => ({ items: await queue.playbooks() }),
  );

  app.get(
    "/v1/cs/csm-playbooks/:id",
    {
      preHandler: requireScope("read"),
      schema: {
        tags,
        summary: "A call playbook with its objection handlers",
        params: z.object({ id: z.coerce.number().int().positive() }),
      },
    },
    async (req) => {
      const playbook = await queue.playbook(req.params.id);
      if (!playbook) throw notFound(`playbook ${req.params.id}`);
      return { playbook };
    },
  );
};
