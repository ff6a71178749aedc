import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ApiKeySpec, Scope } from "../config.js";
import { forbidden, rateLimited, unauthorized } from "../errors.js";
import { type ApiKeyRing, hasScope } from "./keys.js";

declare module "fastify" {
  interface FastifyRequest {
    apiKey: ApiKeySpec | null;
  }
}

const PUBLIC = new Set(["/healthz", "/readyz"]);
const isPublic = (url: string) => {
  const p = url.split("?")[0]!;
  return PUBLIC.has(p) || p === "/docs" || p.startsWith("/docs/");
};

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
 * Bearer API keys with scopes. Runs onRequest, so a WebSocket route is authenticated before the
 * upgrade. Also a per-key rate limit.
 */
export function registerAuth(app: FastifyInstance, ring: ApiKeyRing, perMinute: number): void {
  const limiter = new RateLimiter(perMinute);
  app.decorateRequest("apiKey", null);
  app.addHook("onRequest", async (req, reply) => {
    if (isPublic(req.url)) return;
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) {
      throw unauthorized("missing API key: send Authorization: Bearer <key>");
    }
    const spec = ring.find(match[1]!);
    if (!spec) throw unauthorized("invalid API key");
    const wait = limiter.take(spec.name);
    if (wait > 0) {
      reply.header("retry-after", Math.ceil(wait / 1000));
      throw rateLimited(`rate limit exceeded for key ${spec.name}; retry in ${Math.ceil(wait / 1000)} s`);
    }
    req.apiKey = spec;
  });
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
