import { z } from "zod";
import { PLAYBOOK_STATUSES } from "../../../playbooks/schema/statuses.js";
import { playbookView } from "../../../playbooks/views.js";
import { requireScope } from "../../auth.js";
import type { RouteModule } from "../../route.js";
import { actor, idParam } from "./params.js";

/**
 * Playbook templates under /v1/playbooks: drafts and published ones, edited in place, published once
 * valid, previewed for a customer, and their analytics. Reading needs `read`; changing templates
 * `playbooks:write`.
 */

/** The template body; the engine validates it strictly (unknown fields are 400) and names the field. */
const definitionBody = z
  .looseObject({
    name: z.string().describe("playbook name"),
    steps: z.array(z.looseObject({ id: z.string(), type: z.string() })).describe("ordered steps"),
  })
  .describe(
    "name, description, priority, on_failure, triggers, steps; see GET /v1/playbooks/library for examples",
  );
export const playbookTemplateRoutes: RouteModule = (app, runtime) => {
  const pb = runtime.playbooks;

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
};
