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

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Looks keys up by digest and compares in constant time, so timing reveals nothing of a key. */
export class ApiKeyRing {
  private readonly byDigest = new Map<string, { spec: ApiKeySpec; digest: Buffer }>();

  constructor(keys: ApiKeySpec[]) {
    for (const spec of keys) {
      const d = digest(spec.key);
      this.byDigest.set(d.toString("hex"), { spec, digest: d });
    }
  }

  find(presented: string): ApiKeySpec | null {
    const d = digest(presented);
    const hit = this.byDigest.get(d.toString("hex"));
    return hit && timingSafeEqual(hit.digest, d) ? hit.spec : null;
  }
}

export const hasScope = (spec: ApiKeySpec, scope: Scope): boolean =>
  spec.scopes.includes("admin") || spec.scopes.includes(scope);
