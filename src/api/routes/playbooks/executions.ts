import { z } from "zod";
import { EXECUTION_STATUSES } from "../../../playbooks/schema/statuses.js";
import { executionSummary } from "../../../playbooks/views.js";
import { requireScope } from "../../auth.js";
import type { RouteModule } from "../../route.js";
import { streamEvents } from "../../stream.js";
import { actor, idParam } from "./params.js";

/**
 * Executions: started for a customer under /v1/playbooks/:id/executions, then read, paused, resumed,
 * cancelled and told what happened outside under /v1/playbook-executions, with a WebSocket stream
 * each. Reading needs `read`; driving executions `playbooks:write`.
 */
export const playbookExecutionRoutes: RouteModule = (app, runtime) => {
  const pb = runtime.playbooks;

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

  /** The three controls take the same body and answer with the execution as it is after. */
  const controls = {
    pause: "Pause at the next step boundary",
    resume: "Resume a paused execution",
    cancel: "Cancel: the remaining steps are marked skipped",
  } as const;
  for (const [control, summary] of Object.entries(controls) as Array<[keyof typeof controls, string]>) {
    app.post(
      `/v1/playbook-executions/:id/${control}`,
      {
        preHandler: requireScope("playbooks:write"),
        schema: { tags: ["playbook executions"], summary, params: idParam, body: reasonBody },
      },
      async (req) => {
        await pb.engine[control](req.params.id, actor(req), req.body.reason ?? null);
        return pb.execution(req.params.id);
      },
    );
  }

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
};
