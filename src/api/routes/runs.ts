import { z } from "zod";
import { notFound } from "../../errors.js";
import { RUN_STATUSES } from "../../graphs/run-manager.js";
import { requireScope } from "../auth.js";
import type { AppDeps, RouteModule } from "../route.js";
import { runView } from "../run-view.js";
import { streamEvents } from "../stream.js";

export const runRoutes: RouteModule<Pick<AppDeps, "runs" | "bus">> = (app, deps) => {
  app.get(
    "/v1/runs",
    {
      preHandler: requireScope("read"),
      schema: {
        tags: ["runs"],
        summary: "Recent runs, newest first",
        querystring: z.strictObject({
          status: z.enum(RUN_STATUSES).optional(),
          agent_id: z.string().optional(),
          before: z.string().optional().describe("created_at cursor from the previous page"),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
    },
    async (req) => {
      const runs = await deps.runs.list(req.query);
      const lastRun = runs[runs.length - 1];
      return {
        runs: runs.map((r) => runView(r)),
        next_before: runs.length === req.query.limit && lastRun ? lastRun.created_at : null,
      };
    },
  );

  app.get(
    "/v1/runs/:run_id",
    {
      preHandler: requireScope("read"),
      schema: {
        tags: ["runs"],
        summary: "A run with its result and its child runs",
        params: z.object({ run_id: z.string() }),
      },
    },
    async (req) => {
      const run = await deps.runs.get(req.params.run_id);
      if (!run) throw notFound(`run ${req.params.run_id}`);
      return runView(run, await deps.runs.children(run.run_id));
    },
  );

  app.get(
    "/v1/runs/:run_id/stream",
    {
      websocket: true,
      preHandler: requireScope("read"),
      schema: {
        tags: ["runs"],
        summary:
          "WebSocket: the run's snapshot, then its events (progress, hand-offs, result) until it finishes",
        params: z.object({ run_id: z.string() }),
      },
    },
    (socket, req) => {
      const { run_id } = req.params as { run_id: string };
      void deps.runs.get(run_id).then((run) => {
        if (!run) {
          socket.send(
            JSON.stringify({
              kind: "error",
              error: { code: "not_found", message: `run ${run_id} not found` },
            }),
          );
          socket.close(4404, "run not found");
          return;
        }
        streamEvents(socket, deps.bus, { run_id }, 0, {
          before: async () => ({ kind: "run", run: runView((await deps.runs.get(run_id))!) }),
          until: (e) => e.type === "run.finished",
        });
      });
    },
  );
};
