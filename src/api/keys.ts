import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { ApiKeySpec, Config, Scope } from "../config.js";

export interface ResolvedKeys {
  keys: ApiKeySpec[];
  /** Set when no API_KEYS was configured and an admin key was generated or reused under DATA_DIR. */
  generated?: { key: string; file: string; fresh: boolean };
}

/**
 * API_KEYS when configured; otherwise the embedded default's admin key, generated at first boot and
 * kept (mode 0600) under DATA_DIR so it survives restarts.
 */
export function resolveApiKeys(config: Config): ResolvedKeys {
  if (config.API_KEYS && config.API_KEYS.length > 0) return { keys: config.API_KEYS };
  const file = path.join(config.dataDir, "admin-api-key");
  let key: string;
  let fresh = false;
  if (fs.existsSync(file)) {
    key = fs.readFileSync(file, "utf8").trim();
  } else {
    key = `atk_${randomBytes(24).toString("base64url")}`;
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, `${key}\n`, { mode: 0o600 });
    fresh = true;
  }
  return { keys: [{ name: "admin", key, scopes: ["admin"] }], generated: { key, file, fresh } };
}

/**
 * The secret session cookies are signed with: SESSION_SECRET when configured (replicas behind one
 * address must share it), otherwise one generated at first boot and kept (mode 0600) under DATA_DIR, so
 * sessions survive restarts.
 */
export function resolveSessionSecret(config: Config): Buffer {
  if (config.SESSION_SECRET) return Buffer.from(config.SESSION_SECRET, "utf8");
  const file = path.join(config.dataDir, "session-secret");
  if (fs.existsSync(file)) {
    const kept = fs.readFileSync(file, "utf8").trim();
    if (kept.length >= 32) return Buffer.from(kept, "utf8");
  }
  const secret = randomBytes(32).toString("base64url");
  fs.mkdirSync(config.dataDir, { recursive: true });
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return Buffer.from(secret, "utf8");
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Looks keys up by digest and compares in constant time, so timing reveals nothing of a key. */
export class ApiKeyRing {
  private readonly byDigest = new Map<string, { spec: ApiKeySpec; digest: Buffer }>();
  private readonly byKeyName = new Map<string, ApiKeySpec>();

  constructor(keys: ApiKeySpec[]) {
    for (const spec of keys) {
      const d = digest(spec.key);
      this.byDigest.set(d.toString("hex"), { spec, digest: d });
      this.byKeyName.set(spec.name, spec);
    }
  }

  /** The key configured under a name (a session names its key; the session's own tag checks it). */
  byName(name: string): ApiKeySpec | null {
    return this.byKeyName.get(name) ?? null;
  }

  find(presented: string): ApiKeySpec | null {
    const d = digest(presented);
    const hit = this.byDigest.get(d.toString("hex"));
    return hit && timingSafeEqual(hit.digest, d) ? hit.spec : null;
  }
}

export const hasScope = (spec: ApiKeySpec, scope: Scope): boolean =>
  spec.scopes.includes("admin") || spec.scopes.includes(scope);
