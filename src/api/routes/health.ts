import { z } from "zod";
import { errorMessage } from "../../errors.js";
import type { RouteModule } from "../app.js";

export const healthRoutes: RouteModule = (app, runtime) => {
  app.get(
    "/healthz",
    {
      schema: {
        tags: ["ops"],
        summary: "Liveness",
        security: [],
        response: { 200: z.object({ status: z.literal("ok") }) },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/readyz",
    {
      schema: {
        tags: ["ops"],
        summary: "Readiness: store reachable, runtime started, ports and backlogs",
        security: [],
      },
    },
    async (_req, reply) => {
      const checks: Record<string, { ok: boolean; detail: string }> = {};
      try {
        await runtime.store.db.selectFrom("events").select("seq").limit(1).execute();
        checks.store = { ok: true, detail: "SQLite reachable" };
      } catch (err) {
        checks.store = { ok: false, detail: errorMessage(err) };
      }
      checks.runtime = {
        ok: runtime.started && runtime.runs.isAccepting,
        detail: !runtime.started ? "starting" : runtime.runs.isAccepting ? "accepting runs" : "shutting down",
      };
      for (const extra of readinessChecks) Object.assign(checks, await extra(runtime));
      const ready = Object.values(checks).every((c) => c.ok);
      return reply.status(ready ? 200 : 503).send({ status: ready ? "ready" : "not_ready", checks });
    },
  );
};

/** Further readiness checks (e.g. the Notion write backlog) register here. */
export const readinessChecks: Array<
  (runtime: Parameters<RouteModule>[1]) => Promise<Record<string, { ok: boolean; detail: string }>>
> = [];
