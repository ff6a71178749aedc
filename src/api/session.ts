/**
 * The console's session cookie: a browser exchanges an API key once (POST /v1/session) for a signed,
 * expiring cookie that names the key, so the key itself never sits in page script or storage. The
 * cookie is stateless: `base64url(payload).base64url(HMAC-SHA256(secret, payload))`, the payload holding
 * the key's name, a tag of the key (a digest prefix, so a rotated or removed key ends its sessions) and
 * the expiry. HttpOnly keeps it from script, SameSite=Strict from other sites' requests.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { ApiKeySpec } from "../config.js";

export const SESSION_COOKIE = "atk_session";

export interface SessionClaims {
  key_name: string;
  expires_at: Date;
}

interface Payload {
  /** key name */
  k: string;
  /** key tag */
  t: string;
  /** expiry, ms since the epoch */
  e: number;
}

/** A short digest of the key: enough to tell a rotated key from the one a session was issued for. */
export const keyTag = (key: string): string =>
  createHash("sha256").update(key).digest("base64url").slice(0, 16);

export class SessionCodec {
  constructor(
    private readonly secret: Buffer,
    /** How long a session lasts. */
    readonly ttlMs: number,
  ) {}

  private sign(body: string): Buffer {
    return createHmac("sha256", this.secret).update(body).digest();
  }

  /** A cookie value for the key, expiring ttlMs after `now`. */
  issue(spec: ApiKeySpec, now: Date): { value: string; expires_at: Date } {
    const expires = new Date(now.getTime() + this.ttlMs);
    const payload: Payload = { k: spec.name, t: keyTag(spec.key), e: expires.getTime() };
    const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
    return { value: `${body}.${this.sign(body).toString("base64url")}`, expires_at: expires };
  }

  /**
   * The key a cookie value stands for, or null when it is malformed, forged, expired, or was issued
   * for a key that is no longer configured as it was.
   */
  verify(value: string, now: Date, find: (name: string) => ApiKeySpec | null): ApiKeySpec | null {
    const dot = value.indexOf(".");
    if (dot <= 0 || dot === value.length - 1) return null;
    const body = value.slice(0, dot);
    const given = Buffer.from(value.slice(dot + 1), "base64url");
    const expected = this.sign(body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let payload: Payload;
    try {
      payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Payload;
    } catch {
      return null;
    }
    if (typeof payload.k !== "string" || typeof payload.t !== "string" || typeof payload.e !== "number") {
      return null;
    }
    if (payload.e <= now.getTime()) return null;
    const spec = find(payload.k);
    if (!spec || keyTag(spec.key) !== payload.t) return null;
    return spec;
  }
}

/** One cookie's value from a Cookie header (the first of that name), or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw);
    } catch {
      return null;
    }
  }
  return null;
}

/** The Set-Cookie header of a session (or, with value "" and maxAge 0, of its removal). */
export function sessionCookieHeader(value: string, opts: { maxAgeSeconds: number; secure: boolean }): string {
  const parts = [
    `${SESSION_COOKIE}=${value}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    `Max-Age=${Math.max(0, Math.floor(opts.maxAgeSeconds))}`,
  ];
  if (opts.secure) parts.push("Secure");
  return parts.join("; ");
}
