import path from "node:path";
import { z } from "zod";

/**
 * Environment -> typed config. The only module that reads process.env (ARCHITECTURE §1);
 * everything else receives a Config. Every variable here is documented in .env.example.
 */

const bool = (def: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no"], { message: "expected true or false" })
    .optional()
    .transform((v) => (v === undefined ? def : v === "true" || v === "1" || v === "yes"));

const int = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce
    .number({ message: "expected a number" })
    .int("expected a whole number")
    .min(min)
    .max(max)
    .default(def);

const num = (def: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number({ message: "expected a number" }).min(min).max(max).default(def);

const cron = (def: string) => z.string().min(1).default(def);

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const optionalUrl = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()))
  .pipe(z.url({ message: "expected a URL" }).optional());

export const SCOPES = [
  "admin",
  "read",
  "agents:dispatch",
  "cs:tasks",
  "cs:team",
  "playbooks:write",
  "approvals:decide",
] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKeySpec {
  name: string;
  key: string;
  scopes: Scope[];
  /** The CSM this key acts as in the task queue (seed 000: the CSM is the caller). */
  csm_id?: string;
}

/**
 * API_KEYS: `name:key:scope+scope,...`. Scopes contain colons themselves (agents:dispatch), so
 * everything after the key is the scope list. A `csm_id=<id>` item in it binds the key to a CSM.
 */
const apiKeys = z
  .string()
  .optional()
  .transform((raw, ctx): ApiKeySpec[] | undefined => {
    if (raw === undefined || raw.trim() === "") return undefined;
    const out: ApiKeySpec[] = [];
    for (const entry of raw
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [name, key, ...rest] = entry.split(":");
      const scopeList = rest.join(":");
      if (!name || !key || !scopeList) {
        ctx.addIssue({ code: "custom", message: `entry "${name ?? entry}" must be name:key:scope+scope` });
        return z.NEVER;
      }
      if (key.length < 16) {
        ctx.addIssue({ code: "custom", message: `key of "${name}" must be at least 16 characters` });
        return z.NEVER;
      }
      const items = scopeList.split("+").filter(Boolean);
      const csm = items.find((i) => i.startsWith("csm_id="));
      const scopes = items.filter((i) => !i.startsWith("csm_id="));
      const bad = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
      if (bad.length > 0 || scopes.length === 0) {
        ctx.addIssue({
          code: "custom",
          message: `${bad.length > 0 ? `unknown scope ${bad.join(", ")}` : "no scope"} for "${name}" (known: ${SCOPES.join(", ")})`,
        });
        return z.NEVER;
      }
      if (out.some((k) => k.name === name)) {
        ctx.addIssue({ code: "custom", message: `key name "${name}" appears twice` });
        return z.NEVER;
      }
      const csmId = csm?.slice("csm_id=".length);
      out.push({ name, key, scopes: scopes as Scope[], ...(csmId ? { csm_id: csmId } : {}) });
    }
    return out;
  });

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: int(3000, 0, 65535),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATA_DIR: z.string().min(1).default("./.data"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  API_KEYS: apiKeys,
  API_RATE_LIMIT_PER_MINUTE: int(600, 1),
  API_BODY_LIMIT_BYTES: int(256 * 1024, 1024),
  DEMO_BOOK: bool(true),
  DEMO_BOOK_ACCOUNTS: int(60, 1, 1_000_000),
  PUBLIC_BASE_URL: optionalUrl,

  SCHEDULER_ENABLED: bool(true),
  SCHEDULER_TIMEZONE: z
    .string()
    .default("UTC")
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, "expected an IANA time zone such as UTC or Europe/Berlin"),
  CRON_HEALTH_SCAN: cron("0 7 * * *"),
  CRON_CONTRACT_CHECK: cron("0 8 * * *"),
  CRON_TAM_SCAN: cron("30 7 * * *"),
  CRON_EXPANSION_SCAN: cron("0 9 * * 1"),
  CRON_QUARTERLY_QBR: cron("0 6 1 1,4,7,10 *"),
  CRON_QBR_CONTRACT_CHECK: cron("15 8 * * *"),
  CRON_TASK_GENERATION: cron("30 6 * * *"),
  CRON_PLAYBOOK_TICK: cron("*/5 * * * *"),
  JOBS_DISABLED: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
    ),

  ALERTS_MAX_PER_SCAN: int(5, 0, 1000),
  ALERT_REPEAT_DAYS: int(7, 1, 365),
  RAG_GREEN_MIN: num(70, 0, 100),
  RAG_AMBER_MIN: num(40, 0, 100),
  CSM_HEALTH_WEIGHTS: optionalString,
  RUN_CONCURRENCY: int(4, 1, 64),

  // Real adapters: each is chosen when its credentials are present (issue 4).
  NOTION_TOKEN: optionalString,
  NOTION_BASE_URL: optionalUrl,
  NOTION_ACCOUNTS_DB: optionalString,
  NOTION_TICKETS_DB: optionalString,
  NOTION_QBRS_DB: optionalString,
  NOTION_EXPANSION_DB: optionalString,
  NOTION_RATE_LIMIT_RPS: num(3, 0.1, 100),
  GMAIL_CLIENT_ID: optionalString,
  GMAIL_CLIENT_SECRET: optionalString,
  GMAIL_REFRESH_TOKEN: optionalString,
  GMAIL_SENDER: optionalString,
  GMAIL_ROOT_URL: optionalUrl,
  GMAIL_TOKEN_URL: optionalUrl,
  SLACK_BOT_TOKEN: optionalString,
  SLACK_ALERT_CHANNEL: optionalString,
  SLACK_API_URL: optionalUrl,
  OPENAI_API_KEY: optionalString,
  OPENAI_MODEL: z.string().min(1).default("gpt-4o-mini"),
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_TIMEOUT_MS: int(30_000, 1000),
  SALES_FALLBACK_EMAIL: optionalString,
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Env {
  /** Absolute path of DATA_DIR. */
  dataDir: string;
  dbPath: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = "ConfigError";
  }
}

/** Parse an environment (process.env by default). Throws ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? "environment");
    const value = env[variable];
    const shown =
      value === undefined ? "" : ` (got "${value.length > 40 ? `${value.slice(0, 40)}…` : value}")`;
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  const c = parsed.data;
  if (c.RAG_AMBER_MIN >= c.RAG_GREEN_MIN) {
    throw new ConfigError("RAG_AMBER_MIN", "must be below RAG_GREEN_MIN");
  }
  const dataDir = path.resolve(c.DATA_DIR);
  return { ...c, dataDir, dbPath: path.join(dataDir, "account-team.db") };
}

/** A config for tests and benches: defaults, no scheduler, quiet logs, overridable. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ LOG_LEVEL: "silent", SCHEDULER_ENABLED: "false", NODE_ENV: "test", ...overrides });
}
