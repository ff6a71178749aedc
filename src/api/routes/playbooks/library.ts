import { z } from "zod";
import { playbookView } from "../../../playbooks/views.js";
import { requireScope } from "../../auth.js";
import type { RouteModule } from "../../route.js";
import { actor } from "./params.js";

/**
 * The pre-built playbooks under /v1/playbooks/library: read them, or import one as the team's draft
 * (`playbooks:write`), customised on the way in.
 */
export const playbookLibraryRoutes: RouteModule = (app, runtime) => {
  const pb = runtime.playbooks;

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
};
