import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ApiKeySpec, Scope } from "../config.js";
import { forbidden, rateLimited, unauthorized } from "../errors.js";
import { isConsolePath } from "./console.js";
import { type ApiKeyRing, hasScope } from "./keys.js";
import { fromConsoleOrigin, SAFE_METHODS } from "./origin.js";
import { readCookie, SESSION_COOKIE, type SessionCodec } from "./session.js";

declare module "fastify" {
  interface FastifyRequest {
    apiKey: ApiKeySpec | null;
    /** How the key was presented: the bearer header or the console's session cookie. */
    authVia: "bearer" | "session" | null;
  }
}

/** Routes anyone may call: probes, the API docs, the console's pages, and the key-for-cookie exchange. */
const PUBLIC = new Set(["/healthz", "/readyz"]);
const isPublic = (method: string, url: string) => {
  const p = url.split("?")[0]!;
  if (PUBLIC.has(p) || p === "/docs" || p.startsWith("/docs/")) return true;
  if (p === "/v1/session" && (method === "POST" || method === "DELETE")) return true;
  return isConsolePath(p);
};

export interface AuthOptions {
  ring: ApiKeyRing;
  sessions: SessionCodec;
  perMinute: number;
  publicBaseUrl: string | undefined;
  now: () => Date;
}

/** Token bucket per key: `perMinute` requests a minute with a burst of a tenth of that. */
class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly capacity: number;
  private readonly perMs: number;
  constructor(perMinute: number) {
    this.capacity = Math.max(10, Math.ceil(perMinute / 10));
    this.perMs = perMinute / 60_000;
  }
  /** 0 when allowed, else ms until a token is available. */
  take(key: string, now = Date.now()): number {
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: now };
    b.tokens = Math.min(this.capacity, b.tokens + (now - b.at) * this.perMs);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / this.perMs);
  }
}

/**
 * API keys with scopes, presented as `Authorization: Bearer <key>` or as the console's session cookie
 * (the header wins when both are sent). Runs onRequest, so a WebSocket route is authenticated before
 * the upgrade. A cookie-authenticated write or WebSocket must come from the console's own origin
 * (origin.ts), else 403: the cookie alone proves nothing about which page sent the request. Also a
 * per-key rate limit, and one per client address for the unauthenticated key exchange.
 */
export function registerAuth(app: FastifyInstance, opts: AuthOptions): void {
  const { ring, sessions } = opts;
  const limiter = new RateLimiter(opts.perMinute);
  app.decorateRequest("apiKey", null);
  app.decorateRequest("authVia", null);
  app.addHook("onRequest", async (req, reply) => {
    if (isPublic(req.method, req.url)) {
      if (req.method === "POST") limit(limiter, `address ${req.ip}`, reply);
      return;
    }
    const header = req.headers.authorization;
    let spec: ApiKeySpec | null;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw unauthorized("malformed Authorization header: send Authorization: Bearer <key>");
      spec = ring.find(match[1]!);
      if (!spec) throw unauthorized("invalid API key");
      req.authVia = "bearer";
    } else {
      const cookie = readCookie(req.headers.cookie, SESSION_COOKIE);
      if (cookie === null) {
        throw unauthorized("missing API key: send Authorization: Bearer <key>, or sign in to the console");
      }
      spec = sessions.verify(cookie, opts.now(), (name) => ring.byName(name));
      if (!spec) throw unauthorized("session expired or invalid: sign in again");
      const write = !SAFE_METHODS.has(req.method) || req.headers.upgrade?.toLowerCase() === "websocket";
      if (write && !fromConsoleOrigin(req, opts.publicBaseUrl)) {
        throw forbidden(
          "a request authenticated by the session cookie must come from the console's own origin",
        );
      }
      req.authVia = "session";
    }
    limit(limiter, `key ${spec.name}`, reply);
    req.apiKey = spec;
  });
}

function limit(limiter: RateLimiter, bucket: string, reply: FastifyReply): void {
  const wait = limiter.take(bucket);
  if (wait > 0) {
    reply.header("retry-after", Math.ceil(wait / 1000));
    throw rateLimited(`rate limit exceeded for ${bucket}; retry in ${Math.ceil(wait / 1000)} s`);
  }
}

/** preHandler that demands a scope (admin holds them all). */
export function requireScope(scope: Scope) {
  return async (req: FastifyRequest, _reply: FastifyReply) => {
    if (!req.apiKey) throw unauthorized("missing API key");
    if (!hasScope(req.apiKey, scope)) {
      throw forbidden(`API key ${req.apiKey.name} lacks scope ${scope}`);
    }
  };
}
