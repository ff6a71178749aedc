import { z } from "zod";
import { type ReadinessDeps, readiness } from "../readiness.js";
import type { RouteModule } from "../route.js";

export const healthRoutes: RouteModule<ReadinessDeps> = (app, deps) => {
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
      const { ready, checks } = await readiness(deps);
      return reply.status(ready ? 200 : 503).send({ status: ready ? "ready" : "not_ready", checks });
    },
  );
};
