import path from "node:path";
import { Cron } from "croner";
import { z } from "zod";
import { type ProductCatalogue, parseProductCatalogue } from "./domain/catalogue.js";
import {
  CSM_SIGNALS,
  type CsmSignal,
  type CsmWeights,
  DEFAULT_CSM_WEIGHTS,
} from "./domain/health/csm-score.js";
import { errorMessage } from "./errors.js";

/**
 * Environment -> typed config. The only module that reads process.env; everything else receives a
 * Config. Every variable here is documented in .env.example.
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

/** A cron pattern croner accepts, so a typo fails at startup naming its variable, not at the first tick. */
const cronProblem = (pattern: string): string | null => {
  try {
    new Cron(pattern, { paused: true }).stop();
    return null;
  } catch (err) {
    return errorMessage(err);
  }
};
const cron = (def: string) =>
  z
    .string()
    .min(1)
    .default(def)
    .superRefine((pattern, ctx) => {
      const problem = cronProblem(pattern);
      if (problem) ctx.addIssue({ code: "custom", message: `not a cron expression: ${problem}` });
    });

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const optionalUrl = optionalString.pipe(z.url({ message: "expected a URL" }).optional());

/** The items of a comma-separated list, trimmed, empty ones dropped. */
const listItems = (raw: string): string[] =>
  raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * CSM_HEALTH_WEIGHTS: a JSON object of signal -> weight (>= 0) overriding the defaults of the CSM health
 * score. A misspelt signal or bad JSON is a startup error, never a silently kept default.
 */
const csmHealthWeights = z
  .string()
  .optional()
  .transform((raw, ctx): Partial<CsmWeights> | undefined => {
    if (raw === undefined || raw.trim() === "") return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: "custom", message: 'expected JSON such as {"feature_adoption":20,"nps":5}' });
      return z.NEVER;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      ctx.addIssue({ code: "custom", message: "expected a JSON object of signal -> weight" });
      return z.NEVER;
    }
    const out: Partial<CsmWeights> = {};
    for (const [signal, weight] of Object.entries(parsed)) {
      if (!(CSM_SIGNALS as readonly string[]).includes(signal)) {
        ctx.addIssue({
          code: "custom",
          message: `unknown signal "${signal}" (known: ${CSM_SIGNALS.join(", ")})`,
        });
        return z.NEVER;
      }
      if (typeof weight !== "number" || !Number.isFinite(weight) || weight < 0) {
        ctx.addIssue({ code: "custom", message: `weight of ${signal} must be a number >= 0` });
        return z.NEVER;
      }
      out[signal as CsmSignal] = weight;
    }
    if (CSM_SIGNALS.every((s) => (out[s] ?? DEFAULT_CSM_WEIGHTS[s]) === 0)) {
      ctx.addIssue({ code: "custom", message: "at least one signal needs a weight above 0" });
      return z.NEVER;
    }
    return out;
  });

/** A number from 0 to 1, as written in the environment. */
const isUnit = (v: string | undefined): boolean =>
  v !== undefined && v !== "" && Number.isFinite(Number(v)) && Number(v) >= 0 && Number(v) <= 1;

/**
 * Comma-separated `key=value` pairs, each key one of `keys` and each value a number from 0 to 1. Names the
 * first bad pair as `unknown <keyName> "<key>"` or `<valueName> of <key> must be ...`; null then.
 */
function unitPairs<K extends string>(
  raw: string,
  keys: readonly K[],
  names: { key: string; value: string },
  ctx: z.RefinementCtx,
): Partial<Record<K, number>> | null {
  const out: Partial<Record<K, number>> = {};
  for (const pair of listItems(raw)) {
    const [key, value] = pair.split("=").map((s) => s.trim());
    if (!key || !(keys as readonly string[]).includes(key)) {
      ctx.addIssue({ code: "custom", message: `unknown ${names.key} "${key}" (known: ${keys.join(", ")})` });
      return null;
    }
    if (!isUnit(value)) {
      ctx.addIssue({ code: "custom", message: `${names.value} of ${key} must be a number from 0 to 1` });
      return null;
    }
    out[key as K] = Number(value);
  }
  return out;
}

/**
 * QUEUE_CHURN_PROBABILITIES: `level=probability` pairs (comma-separated) overriding the churn probability
 * each churn-risk level feeds into the task priority score. Levels left out keep their default (low .05,
 * medium .2, high .45, critical .7).
 */
const churnProbabilities = z
  .string()
  .optional()
  .transform((raw, ctx): Partial<Record<"low" | "medium" | "high" | "critical", number>> | undefined => {
    if (raw === undefined || raw.trim() === "") return undefined;
    const levels = ["low", "medium", "high", "critical"] as const;
    return unitPairs(raw, levels, { key: "churn level", value: "probability" }, ctx) ?? z.NEVER;
  });

/**
 * ADOPTION_BENCHMARK: the feature-adoption benchmark (0-1) that replaces the median of same-tier peers,
 * either one number for every tier ("0.6") or tier=value pairs ("vip=0.7,standard=0.5"); tiers left out
 * keep the peer median.
 */
const adoptionBenchmark = z
  .string()
  .optional()
  .transform(
    (
      raw,
      ctx,
    ): Partial<Record<"all" | "vip" | "high_value" | "standard" | "low_value", number>> | undefined => {
      if (raw === undefined || raw.trim() === "") return undefined;
      if (!raw.includes("=")) {
        if (isUnit(raw.trim())) return { all: Number(raw.trim()) };
        ctx.addIssue({
          code: "custom",
          message: 'expected a number from 0 to 1, or tier=value pairs such as "vip=0.7,standard=0.5"',
        });
        return z.NEVER;
      }
      const tiers = ["vip", "high_value", "standard", "low_value"] as const;
      return unitPairs(raw, tiers, { key: "tier", value: "benchmark" }, ctx) ?? z.NEVER;
    },
  );

/**
 * PRODUCT_CATALOGUE: JSON of the modules, integrations and prices the expansion detectors use (shape in
 * src/domain/catalogue.ts). Empty: the built-in catalogue of the demo product.
 */
const productCatalogue = z
  .string()
  .optional()
  .transform((raw, ctx): ProductCatalogue | undefined => {
    if (raw === undefined || raw.trim() === "") return undefined;
    const parsed = parseProductCatalogue(raw);
    if (parsed.ok) return parsed.value;
    ctx.addIssue({ code: "custom", message: parsed.error });
    return z.NEVER;
  });

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
  /** The CSM this key acts as in the task queue: the queue's caller is a CSM. */
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
    for (const entry of listItems(raw)) {
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

  // The console (web/dist, served at /).
  SESSION_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  SESSION_TTL_HOURS: int(12, 1, 24 * 30),
  CONSOLE_BUILD: z.enum(["auto", "off"], { message: "expected auto or off" }).default("auto"),

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
    .transform((v) => (v ? listItems(v) : [])),

  ALERTS_MAX_PER_SCAN: int(5, 0, 1000),
  ALERT_REPEAT_DAYS: int(7, 1, 365),
  RAG_GREEN_MIN: num(70, 0, 100),
  RAG_AMBER_MIN: num(40, 0, 100),
  CSM_HEALTH_WEIGHTS: csmHealthWeights,
  RUN_CONCURRENCY: int(4, 1, 64),

  // Real adapters: each is chosen when its credentials are present.
  NOTION_TOKEN: optionalString,
  NOTION_BASE_URL: optionalUrl,
  NOTION_ACCOUNTS_DB: optionalString,
  NOTION_TICKETS_DB: optionalString,
  NOTION_QBRS_DB: optionalString,
  NOTION_EXPANSION_DB: optionalString,
  NOTION_RATE_LIMIT_RPS: num(3, 0.1, 100),
  NOTION_OUTBOX_REPLAY_MS: int(15_000, 100),
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
  OPENAI_MAX_RETRIES: int(2, 0, 10),
  SALES_FALLBACK_EMAIL: optionalString,

  // TAM escalations and expansion hand-offs.
  PRODUCT_CATALOGUE: productCatalogue,
  TAM_ESCALATIONS_MAX_PER_SCAN: int(5, 0, 1000),
  EXPANSION_HANDOFFS_MAX_PER_SCAN: int(5, 0, 1000),

  // QBRs and feature adoption.
  QBR_JOB_CONCURRENCY: int(4, 1, 64),
  QBR_CONTRACT_LEAD_DAYS: int(90, 1, 730),
  QBR_CONTRACT_MAKEUP_DAYS: int(30, 0, 365),
  ADOPTION_BENCHMARK: adoptionBenchmark,

  // CSM task queue.
  QUEUE_CHURN_PROBABILITIES: churnProbabilities,
  QUEUE_WEEKLY_GOAL_ONBOARDING_COMPLETIONS: int(3, 0, 1000),
  QUEUE_WEEKLY_GOAL_AT_RISK_SAVES: int(2, 0, 1000),
  // Who is calling, for the call scripts' [company] and [product]; unset, the CSM fills them in.
  COMPANY_NAME: optionalString,
  PRODUCT_NAME: optionalString,

  // Playbook execution engine.
  PLAYBOOK_STEP_MAX_ATTEMPTS: int(3, 1, 10),
  PLAYBOOK_RETRY_DELAY_MS: int(2000, 0, 600_000),
  PLAYBOOK_AGENT_TIMEOUT_MS: int(600_000, 1000),
  PLAYBOOK_CONCURRENCY: int(8, 1, 256),
  PLAYBOOK_TIME_TRIGGER_WINDOW_DAYS: int(7, 0, 365),
  PLAYBOOK_CONDITION_COOLDOWN_DAYS: int(30, 0, 365),
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
