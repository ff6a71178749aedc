import { z } from "zod";
import { APPROVAL_DECISIONS, APPROVAL_STATUSES } from "../../../playbooks/schema/statuses.js";
import { approvalView } from "../../../playbooks/views.js";
import { requireScope } from "../../auth.js";
import type { RouteModule } from "../../route.js";
import { actor, idParam } from "./params.js";

/**
 * Approvals under /v1/approvals: the gated steps waiting for a person, each with the step rendered as
 * it will run. Reading needs `read`; deciding `approvals:decide`.
 */
export const approvalRoutes: RouteModule = (app, runtime) => {
  const pb = runtime.playbooks;

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
      const rows = await pb.engine.approvals.list({
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
    async (req) => approvalView(await pb.approval(req.params.id)),
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
