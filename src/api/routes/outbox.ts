import { z } from "zod";
import type { RouteModule } from "../app.js";
import { requireScope } from "../auth.js";

const page = z.strictObject({
  account_id: z.string().optional(),
  run_id: z.string().optional(),
  before: z.string().optional().describe("created_at cursor from the previous page"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const outboxRoutes: RouteModule = (app, runtime) => {
  app.get(
    "/v1/drafts",
    {
      preHandler: requireScope("read"),
      schema: {
        tags: ["outbox"],
        summary: "Email drafts written for reps to review (never sent), newest first",
        querystring: page.extend({ kind: z.string().optional() }),
      },
    },
    async (req) => {
      const { limit, before, account_id, run_id, kind } = req.query;
      let q = runtime.store.db
        .selectFrom("outbox_drafts")
        .selectAll()
        .orderBy("created_at", "desc")
        .orderBy("id")
        .limit(limit);
      if (before) q = q.where("created_at", "<", before);
      if (account_id) q = q.where("account_id", "=", account_id);
      if (run_id) q = q.where("run_id", "=", run_id);
      if (kind) q = q.where("kind", "=", kind);
      const rows = await q.execute();
      return {
        provider: runtime.mail.kind,
        drafts: rows.map((r) => ({
          draft_id: r.id,
          to: r.to_addr,
          cc: r.cc ? r.cc.split(", ") : [],
          subject: r.subject,
          text: r.text_body,
          html: r.html_body,
          kind: r.kind,
          account_id: r.account_id,
          run_id: r.run_id,
          created_at: r.created_at,
        })),
        next_before: rows.length === limit ? rows[rows.length - 1]!.created_at : null,
      };
    },
  );

  app.get(
    "/v1/alerts",
    {
      preHandler: requireScope("read"),
      schema: {
        tags: ["outbox"],
        summary: "Alerts raised for the team, newest first",
        querystring: page.extend({ severity: z.enum(["info", "warning", "critical"]).optional() }),
      },
    },
    async (req) => {
      const { limit, before, account_id, run_id, severity } = req.query;
      let q = runtime.store.db
        .selectFrom("alerts")
        .selectAll()
        .orderBy("created_at", "desc")
        .orderBy("id")
        .limit(limit);
      if (before) q = q.where("created_at", "<", before);
      if (account_id) q = q.where("account_id", "=", account_id);
      if (run_id) q = q.where("run_id", "=", run_id);
      if (severity) q = q.where("severity", "=", severity);
      const rows = await q.execute();
      return {
        provider: runtime.chat.kind,
        alerts: rows.map((r) => ({
          alert_id: r.id,
          channel: r.channel,
          severity: r.severity,
          title: r.title,
          text: r.text,
          fields: r.blocks ? JSON.parse(r.blocks) : [],
          account_id: r.account_id,
          run_id: r.run_id,
          delivered: r.delivered === 1,
          error: r.error,
          created_at: r.created_at,
        })),
        next_before: rows.length === limit ? rows[rows.length - 1]!.created_at : null,
      };
    },
  );
};
