import { randomUUID } from "node:crypto";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import websocket from "@fastify/websocket";
import Fastify, { type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { registerAuth } from "./auth.js";
import { registerConsole } from "./console.js";
import { registerErrorHandling } from "./errors.js";
import type { AppDeps, RouteModule } from "./route.js";
import { accountRoutes } from "./routes/accounts.js";
import { agentRoutes } from "./routes/agents.js";
import { csRoutes } from "./routes/cs.js";
import { eventRoutes } from "./routes/events.js";
import { healthRoutes } from "./routes/health.js";
import { outboxRoutes } from "./routes/outbox.js";
import { approvalRoutes } from "./routes/playbooks/approvals.js";
import { playbookExecutionRoutes } from "./routes/playbooks/executions.js";
import { playbookLibraryRoutes } from "./routes/playbooks/library.js";
import { playbookTemplateRoutes } from "./routes/playbooks/templates.js";
import { playbookVariableRoutes } from "./routes/playbooks/variables.js";
import { runRoutes } from "./routes/runs.js";
import { sessionRoutes } from "./routes/session.js";

/** Every route module, in registration order: a new module is one import and one line here. */
export const ROUTE_MODULES: RouteModule[] = [
  healthRoutes,
  sessionRoutes,
  agentRoutes,
  runRoutes,
  eventRoutes,
  accountRoutes,
  outboxRoutes,
  csRoutes,
  playbookTemplateRoutes,
  playbookVariableRoutes,
  playbookLibraryRoutes,
  playbookExecutionRoutes,
  approvalRoutes,
];

/**
 * Build the HTTP app over the runtime's services. main only boots; tests use app.inject. `consoleDir`
 * is the built console (web/dist) served at /; without one, / says how to build it.
 */
export async function buildApp(
  deps: AppDeps,
  opts: { logger?: boolean; consoleDir?: string | null } = {},
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.logger === false ? undefined : deps.log.child({ component: "api" }),
    bodyLimit: deps.config.API_BODY_LIMIT_BYTES,
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
  }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  app.addHook("onSend", async (req, reply) => {
    reply.header("x-request-id", req.id);
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: "account-team API",
        description:
          "Dispatch tasks to the Customer Success, Sales and TAM agents, watch runs, read accounts, drafts, alerts and events.",
        version: "0.1.0",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  await app.register(websocket, { options: { maxPayload: 4096 } });
  registerAuth(app, {
    ring: deps.keyRing,
    sessions: deps.sessions,
    perMinute: deps.config.API_RATE_LIMIT_PER_MINUTE,
    publicBaseUrl: deps.config.PUBLIC_BASE_URL,
    now: () => deps.clock.now(),
  });

  const typed = app.withTypeProvider<ZodTypeProvider>();
  for (const mod of ROUTE_MODULES) await mod(typed, deps);
  await registerConsole(app, opts.consoleDir ?? null);
  return app;
}
