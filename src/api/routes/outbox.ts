import { z } from "zod";
import { requireScope } from "../auth.js";
import type { AppDeps, RouteModule } from "../route.js";

const page = z.strictObject({
  account_id: z.string().optional(),
  run_id: z.string().optional(),
  before: z.string().optional().describe("created_at cursor from the previous page"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The created_at cursor of the next page: set when the page came back full. */
const nextBefore = (rows: Array<{ created_at: string }>, limit: number): string | null =>
  rows.length === limit ? rows[rows.length - 1]!.created_at : null;

export const outboxRoutes: RouteModule<Pick<AppDeps, "outbox" | "mail" | "chat">> = (app, deps) => {
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
      const drafts = await deps.outbox.drafts(req.query);
      return {
        provider: deps.mail.kind,
        drafts: drafts.map(({ id, ...d }) => ({ draft_id: id, ...d })),
        next_before: nextBefore(drafts, req.query.limit),
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
      const alerts = await deps.outbox.alerts(req.query);
      return {
        provider: deps.chat.kind,
        alerts: alerts.map(({ id, ...a }) => ({ alert_id: id, ...a })),
        next_before: nextBefore(alerts, req.query.limit),
      };
    },
  );
};
