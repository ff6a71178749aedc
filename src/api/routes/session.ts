/**
 * The console's sign-in: POST /v1/session exchanges an API key for the session cookie (session.ts),
 * GET /v1/session says who the caller is (by cookie or bearer key), DELETE /v1/session signs out.
 * The exchange answers the key's name, scopes and CSM, so the console can show what the key may do.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { ApiKeySpec } from "../../config.js";
import { forbidden, unauthorized } from "../../errors.js";
import { fromConsoleOrigin } from "../origin.js";
import type { AppDeps, RouteModule } from "../route.js";
import { SESSION_COOKIE, sessionCookieHeader } from "../session.js";

const identity = (spec: ApiKeySpec, via: string, expiresAt: Date | null) => ({
  key_name: spec.name,
  scopes: spec.scopes,
  csm_id: spec.csm_id ?? null,
  via,
  expires_at: expiresAt?.toISOString() ?? null,
});

/** Browsers say where a request came from; other clients (curl, agents) send neither header. */
const isBrowser = (req: FastifyRequest) =>
  req.headers.origin !== undefined || req.headers["sec-fetch-site"] !== undefined;

/** Secure cookies when the console is reached over https (directly or as PUBLIC_BASE_URL says). */
const isSecure = (req: FastifyRequest, publicBaseUrl: string | undefined) =>
  req.protocol === "https" || (publicBaseUrl?.startsWith("https:") ?? false);

export const sessionRoutes: RouteModule<Pick<AppDeps, "keyRing" | "sessions" | "clock" | "config">> = (
  app,
  deps,
) => {
  const tags = ["session"];
  const clear = (req: FastifyRequest, reply: FastifyReply) =>
    reply.header(
      "set-cookie",
      sessionCookieHeader("", { maxAgeSeconds: 0, secure: isSecure(req, deps.config.PUBLIC_BASE_URL) }),
    );

  app.post(
    "/v1/session",
    {
      schema: {
        tags,
        summary: `Exchange an API key for the console's HttpOnly session cookie (${SESSION_COOKIE})`,
        security: [],
        body: z.strictObject({ api_key: z.string().min(1).max(512) }),
      },
    },
    async (req, reply) => {
      // A browser may only sign in from the console itself; other clients send no Origin at all.
      if (isBrowser(req) && !fromConsoleOrigin(req, deps.config.PUBLIC_BASE_URL)) {
        throw forbidden("sign in from the console's own origin");
      }
      const spec = deps.keyRing.find(req.body.api_key.trim());
      if (!spec) throw unauthorized("invalid API key");
      const session = deps.sessions.issue(spec, deps.clock.now());
      reply.header(
        "set-cookie",
        sessionCookieHeader(session.value, {
          maxAgeSeconds: deps.sessions.ttlMs / 1000,
          secure: isSecure(req, deps.config.PUBLIC_BASE_URL),
        }),
      );
      reply.header("cache-control", "no-store");
      return reply.status(201).send(identity(spec, "session", session.expires_at));
    },
  );

  app.get(
    "/v1/session",
    { schema: { tags, summary: "Who the caller is: the key's name, scopes and CSM" } },
    async (req, reply) => {
      reply.header("cache-control", "no-store");
      return identity(req.apiKey!, req.authVia ?? "bearer", null);
    },
  );

  app.delete(
    "/v1/session",
    {
      schema: { tags, summary: "Sign out: the session cookie is removed (an expired one too)", security: [] },
    },
    async (req, reply) => {
      if (isBrowser(req) && !fromConsoleOrigin(req, deps.config.PUBLIC_BASE_URL)) {
        throw forbidden("sign out from the console's own origin");
      }
      clear(req, reply);
      return reply.status(204).send();
    },
  );
};
