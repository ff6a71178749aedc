import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { notFound } from "../../errors.js";
import { VARIABLES } from "../../playbooks/render/variables.js";
import {
  APPROVAL_DECISIONS,
  APPROVAL_STATUSES,
  EXECUTION_STATUSES,
  PLAYBOOK_STATUSES,
} from "../../playbooks/schema/statuses.js";
import { approvalView, executionSummary, playbookView } from "../../playbooks/views.js";
import type { RouteModule } from "../app.js";
import { requireScope } from "../auth.js";
import { streamEvents } from "../stream.js";

/**
 * Executable playbooks (issue 8, seed 003): templates and the library under /v1/playbooks, executions
 * under /v1/playbook-executions (with a WebSocket stream each), approvals under /v1/approvals.
 * Reading needs `read`; changing templates and driving executions `playbooks:write`; deciding
 * approvals `approvals:decide`.
 */

/** Who acts: the CSM a key is bound to, else the key's name. */
const actor = (req: FastifyRequest) => req.apiKey?.csm_id ?? req.apiKey?.name ?? "unknown";

const idParam = z.object({ id: z.string().min(1) });
/** The template body; the engine validates it strictly (unknown fields are 400) and names the field. */
const definitionBody = z
  .looseObject({
    name: z.string().describe("playbook name"),
    steps: z.array(z.looseObject({ id: z.string(), type: z.string() })).describe("ordered steps"),
  })
  .describe(
    "name, description, priority, on_failure, triggers, steps; see GET /v1/playbooks/library for examples",
  );

export const playbookRoutes: RouteModule = (app, runtime) => {
  const pb = runtime.playbooks;

  // --- templates -------------------------------------------------------------------------------------------

  app.get(
    "/v1/playbooks",
    {
      preHandler: requireScope("read"),
      schema: {
        tags: ["playbooks"],
        summary: "The team's playbook templates (drafts and published), highest priority first",
        querystring: z.strictObject({ status: z.enum(PLAYBOOK_STATUSES).optional() }),
      },
    },
    async (req) => ({ playbooks: (await pb.list(req.query.status)).map(playbookView) }),
  );

  app.post(
    "/v1/playbooks",
    {
      preHandler: requireScope("playbooks:write"),
      schema: {
        tags: ["playbooks"],
        summary: "Create a playbook template: saved as a draft, or published at once with ?publish=true",
        querystring: z.strictObject({ publish: z.enum(["true", "false"]).optional() }),
        body: definitionBody,
      },
    },
    async (req, reply) => {
      const created = await pb.create(req.body, actor(req), { publish: req.query.publish === "true" });
      return reply.status(201).send(playbookView(created));
    },
  );

  app.get(
    "/v1/playbooks/variables",
    {
      preHandler: requireScope("read"),
      schema: { tags: ["playbooks"], summary: "The template variables and helpers a playbook may use" },
    },
    async () => ({
      variables: Object.entries(VARIABLES).map(([name, description]) => ({
        name: `{{${name}}}`,
        description,
      })),
      helpers: [
        { name: "format_date", example: "{{format_date customer.renewal_date}}" },
        { name: "currency", example: "{{currency customer.arr}}" },
        { name: "percent", example: "{{percent customer.feature_adoption}}" },
        { name: "default", example: '{{default customer.champion "there"}}' },
      ],
      blocks: ["{{#if value}}...{{else}}...{{/if}}", "{{#unless value}}...{{/unless}}"],
    }),
  );

  app.get(
    "/v1/playbooks/library",
    {
      preHandler: requireScope("read"),
      schema: {
        tags: ["playbooks"],
        summary: "The pre-built playbooks: onboarding, at-risk, renewal, expansion",
      },
    },
    async () => ({ library: pb.library() }),
  );

  app.get(
    "/v1/playbooks/library/:key",
    {
      preHandler: requireScope("read"),
      schema: {
        tags: ["playbooks"],
        summary: "One pre-built playbook, in full",
        params: z.object({ key: z.string() }),
      },
    },
    async (req) => ({ key: req.params.key, ...pb.libraryDefinition(req.params.key) }),
  );

  app.post(
    "/v1/playbooks/library/:key/import",
    {
      preHandler: requireScope("playbooks:write"),
      schema: {
        tags: ["playbooks"],
        summary: "Import a pre-built playbook as the team's draft; any field given replaces the library's",
        params: z.object({ key: z.string() }),
        body: z
          .strictObject({
            name: z.string().optional(),
            description: z.string().optional(),
            priority: z.number().int().optional(),
            on_failure: z.enum(["stop", "continue"]).optional(),
            triggers: z.array(z.looseObject({ type: z.string() })).optional(),
            steps: z.array(z.looseObject({ id: z.string(), type: z.string() })).optional(),
          })
          .default({}),
      },
    },
    async (req, reply) => {
      const overrides = Object.fromEntries(Object.entries(req.body).filter(([, v]) => v !== undefined));
      const created = await pb.importFromLibrary(req.params.key, overrides, actor(req));
      return reply.status(201).send(playbookView(created));
    },
  );

  app.get(
    "/v1/playbooks/:id",
    {
      preHandler: requireScope("read"),
      schema: { tags: ["playbooks"], summary: "A playbook template", params: idParam },
    },
    async (req) => playbookView(await pb.get(req.params.id)),
  );

  app.put(
    "/v1/playbooks/:id",
    {
      preHandler: requireScope("playbooks:write"),
      schema: {
        tags: ["playbooks"],
        summary: "Edit a template in place; running executions keep the snapshot they started with",
        params: idParam,
        body: definitionBody,
      },
    },
    async (req) => playbookView(await pb.update(req.params.id, req.body)),
  );

  app.delete(
    "/v1/playbooks/:id",
    {
      preHandler: requireScope("playbooks:write"),
      schema: {
        tags: ["playbooks"],
        summary: "Archive a template (its history stays; running executions carry on)",
        params: idParam,
      },
    },
    async (req) => playbookView(await pb.archive(req.params.id)),
  );

  app.post(
    "/v1/playbooks/:id/publish",
    {
      preHandler: requireScope("playbooks:write"),
      schema: {
        tags: ["playbooks"],
        summary: "Publish: 422 listing every unknown variable, unregistered agent or invalid step",
        params: idParam,
      },
    },
    async (req) => playbookView(await pb.publish(req.params.id)),
  );

  app.post(
    "/v1/playbooks/:id/unpublish",
    {
      preHandler: requireScope("playbooks:write"),
      schema: { tags: ["playbooks"], summary: "Back to draft: its triggers stop firing", params: idParam },
    },
    async (req) => playbookView(await pb.unpublish(req.params.id)),
  );

  app.post(
    "/v1/playbooks/:id/preview",
    {
      preHandler: requireScope("read"),
      schema: {
        tags: ["playbooks"],
        summary: "Render every step for a customer, with no side effects",
        params: idParam,
        body: z.strictObject({ account_id: z.string().min(1), contact_email: z.email().optional() }),
      },
    },
    async (req) => pb.preview(req.params.id, req.body.account_id, req.body.contact_email ?? null),
  );

  app.get(
    "/v1/playbooks/:id/analytics",
    {
      preHandler: requireScope("read"),
      schema: {
        tags: ["playbooks"],
        summary: "Executions, completion and abandonment, duration, step failures, outcome correlation",
        params: idParam,
      },
    },
    async (req) => pb.analytics(req.params.id),
  );

  app.post(
    "/v1/playbooks/:id/executions",
    {
      preHandler: requireScope("playbooks:write"),
      schema: {
        tags: ["playbooks"],
        summary:
          "Run a published playbook for a customer (manual trigger); 200 with the running one if active",
        params: idParam,
        body: z.strictObject({ account_id: z.string().min(1), contact_email: z.email().optional() }),
      },
    },
    async (req, reply) => {
      const { execution, created } = await pb.engine.startExecution({
        playbook_id: req.params.id,
        account_id: req.body.account_id,
        trigger: { type: "manual", detail: { by: actor(req) } },
        contact_email: req.body.contact_email ?? null,
        started_by: actor(req),
      });
      const view = await pb.execution(execution.execution_id);
      return reply.status(created ? 201 : 200).send({ ...view, created });
    },
  );

  // --- executions ------------------------------------------------------------------------------------------

  app.get(
    "/v1/playbook-executions",
    {
      preHandler: requireScope("read"),
      schema: {
        tags: ["playbook executions"],
        summary: "Executions, newest first (e.g. ?account_id=&active=true for a customer's active playbooks)",
        querystring: z.strictObject({
          account_id: z.string().optional(),
          playbook_id: z.string().optional(),
          status: z.enum(EXECUTION_STATUSES).optional(),
          active: z.enum(["true", "false"]).optional(),
          before: z.string().optional().describe("started_at cursor from the previous page"),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await pb.engine.executions.list({
        ...(q.account_id ? { account_id: q.account_id } : {}),
        ...(q.playbook_id ? { playbook_id: q.playbook_id } : {}),
        ...(q.status ? { status: [q.status] } : {}),
        ...(q.active ? { active: q.active === "true" } : {}),
        ...(q.before ? { before: q.before } : {}),
        limit: q.limit,
      });
      const last = rows[rows.length - 1];
      return {
        executions: rows.map(executionSummary),
        next_before: rows.length === q.limit && last ? last.created_at : null,
      };
    },
  );

  app.get(
    "/v1/playbook-executions/:id",
    {
      preHandler: requireScope("read"),
      schema: {
        tags: ["playbook executions"],
        summary: "An execution: each step's status, times and outputs, elapsed time, estimated completion",
        params: idParam,
      },
    },
    async (req) => pb.execution(req.params.id),
  );

  const reasonBody = z.strictObject({ reason: z.string().max(500).optional() }).default({});

  app.post(
    "/v1/playbook-executions/:id/pause",
    {
      preHandler: requireScope("playbooks:write"),
      schema: {
        tags: ["playbook executions"],
        summary: "Pause at the next step boundary",
        params: idParam,
        body: reasonBody,
      },
    },
    async (req) => {
      await pb.engine.pause(req.params.id, actor(req), req.body.reason ?? null);
      return pb.execution(req.params.id);
    },
  );

  app.post(
    "/v1/playbook-executions/:id/resume",
    {
      preHandler: requireScope("playbooks:write"),
      schema: {
        tags: ["playbook executions"],
        summary: "Resume a paused execution",
        params: idParam,
        body: reasonBody,
      },
    },
    async (req) => {
      await pb.engine.resume(req.params.id, actor(req), req.body.reason ?? null);
      return pb.execution(req.params.id);
    },
  );

  app.post(
    "/v1/playbook-executions/:id/cancel",
    {
      preHandler: requireScope("playbooks:write"),
      schema: {
        tags: ["playbook executions"],
        summary: "Cancel: the remaining steps are marked skipped",
        params: idParam,
        body: reasonBody,
      },
    },
    async (req) => {
      await pb.engine.cancel(req.params.id, actor(req), req.body.reason ?? null);
      return pb.execution(req.params.id);
    },
  );

  app.post(
    "/v1/playbook-executions/:id/signals",
    {
      preHandler: requireScope("playbooks:write"),
      schema: {
        tags: ["playbook executions"],
        summary: "Record what happened outside: the customer responded, the meeting was held",
        params: idParam,
        body: z
          .strictObject({ response_received: z.boolean().optional(), meeting_held: z.boolean().optional() })
          .refine(
            (b) => b.response_received !== undefined || b.meeting_held !== undefined,
            "give at least one signal",
          ),
      },
    },
    async (req) => {
      const flags = {
        ...(req.body.response_received !== undefined
          ? { response_received: req.body.response_received }
          : {}),
        ...(req.body.meeting_held !== undefined ? { meeting_held: req.body.meeting_held } : {}),
      };
      await pb.engine.setFlags(req.params.id, flags);
      return pb.execution(req.params.id);
    },
  );

  app.get(
    "/v1/playbook-executions/:id/stream",
    {
      websocket: true,
      preHandler: requireScope("read"),
      schema: {
        tags: ["playbook executions"],
        summary: "WebSocket: the execution, then every step transition and status change until it finishes",
        params: idParam,
        querystring: z.strictObject({ since: z.coerce.number().int().min(0).default(0) }),
      },
    },
    (socket, req) => {
      const { id } = req.params as { id: string };
      const { since } = req.query as { since: number };
      void pb.engine.executions.get(id).then((ex) => {
        if (!ex) {
          socket.send(
            JSON.stringify({
              kind: "error",
              error: { code: "not_found", message: `execution ${id} not found` },
            }),
          );
          socket.close(4404, "execution not found");
          return;
        }
        // Playbook events carry the execution id as their run id (see playbooks/events.ts).
        streamEvents(socket, runtime.bus, { run_id: id }, since, {
          before: async () => ({ kind: "execution", execution: await pb.execution(id) }),
          until: (e) => e.type === "playbook.execution_finished",
        });
      });
    },
  );

  // --- approvals -------------------------------------------------------------------------------------------

  app.get(
    "/v1/approvals",
    {
      preHandler: requireScope("read"),
      schema: {
        tags: ["approvals"],
        summary: "Approvals, oldest first; pending ones by default",
        querystring: z.strictObject({
          status: z.enum(APPROVAL_STATUSES).default("pending"),
          account_id: z.string().optional(),
          execution_id: z.string().optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await pb.engine.executions.approvals({
        status: q.status,
        ...(q.account_id ? { account_id: q.account_id } : {}),
        ...(q.execution_id ? { execution_id: q.execution_id } : {}),
        limit: q.limit,
      });
      return { approvals: rows.map(approvalView) };
    },
  );

  app.get(
    "/v1/approvals/:id",
    {
      preHandler: requireScope("read"),
      schema: {
        tags: ["approvals"],
        summary: "An approval with the rendered step it is about",
        params: idParam,
      },
    },
    async (req) => {
      const a = await pb.engine.executions.approval(req.params.id);
      if (!a) throw notFound(`approval ${req.params.id}`);
      return approvalView(a);
    },
  );

  app.post(
    "/v1/approvals/:id",
    {
      preHandler: requireScope("approvals:decide"),
      schema: {
        tags: ["approvals"],
        summary:
          "Decide: approve, reject (skips the step, or stops the execution if the step says so), or edit",
        params: idParam,
        body: z.strictObject({
          decision: z.enum(APPROVAL_DECISIONS),
          edits: z.record(z.string(), z.unknown()).optional(),
          comment: z.string().max(2000).optional(),
        }),
      },
    },
    async (req) => {
      const decided = await pb.engine.decide(
        req.params.id,
        {
          decision: req.body.decision,
          ...(req.body.edits ? { edits: req.body.edits } : {}),
          ...(req.body.comment ? { comment: req.body.comment } : {}),
        },
        actor(req),
      );
      return approvalView(decided);
    },
  );
};
