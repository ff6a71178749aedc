import type { Kysely } from "kysely";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { Database } from "../store/schema.js";
import type { SideEffects } from "../store/side-effects.js";
import type { ChatPort } from "./chat/port.js";
import { SlackAlerts } from "./chat/slack.js";
import { OpenAiNarrator } from "./llm/openai.js";
import type { LlmPort } from "./llm/port.js";
import { GmailDrafts } from "./mail/gmail.js";
import type { MailPort } from "./mail/port.js";
import { NotionApi, type NotionApiOptions } from "./records/notion/client.js";
import { NotionConfigError } from "./records/notion/errors.js";
import { NotionRecords } from "./records/notion/records.js";

export interface RealAdapters {
  records?: NotionRecords;
  mail?: MailPort;
  chat?: ChatPort;
  llm?: LlmPort;
  /** Boot and shutdown work of the chosen adapters (Notion: resolve data sources, replay the outbox). */
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface RealAdapterDeps {
  db: Kysely<Database>;
  effects: SideEffects;
  clock: Clock;
  log: Logger;
}

/** The options whose variables are set; an unset or empty one is left out, so the adapter's default holds. */
function setOnly<K extends string>(options: Record<K, string | undefined>): Partial<Record<K, string>> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v)) as Partial<Record<K, string>>;
}

/** Notion records are used when a token and the Accounts database are configured. */
export const notionConfigured = (c: Config): boolean => Boolean(c.NOTION_TOKEN && c.NOTION_ACCOUNTS_DB);

/** The Notion client as configured; `overrides` for callers that need another budget (doctor). */
export function notionApi(
  config: Config,
  log?: Logger,
  overrides: Partial<NotionApiOptions> = {},
): NotionApi {
  if (!config.NOTION_TOKEN) throw new NotionConfigError("NOTION_TOKEN is not set");
  return new NotionApi({
    token: config.NOTION_TOKEN,
    ...setOnly({ baseUrl: config.NOTION_BASE_URL }),
    ratePerSec: config.NOTION_RATE_LIMIT_RPS,
    ...(log ? { log } : {}),
    ...overrides,
  });
}

/**
 * The real adapter of each port whose credentials are configured; ports left out keep the embedded
 * default (SQLite records, the local outbox and alert table, the template narrator). `skip` names ports the caller supplies itself (tests).
 */
export function realAdapters(
  config: Config,
  deps: RealAdapterDeps,
  skip: Partial<Record<"records" | "mail" | "chat" | "llm", unknown>> = {},
): RealAdapters {
  const out: RealAdapters = { start: async () => {}, close: async () => {} };
  if (!skip.records && notionConfigured(config)) {
    const records = new NotionRecords({
      api: notionApi(config, deps.log.child({ component: "notion" })),
      db: deps.db,
      clock: deps.clock,
      log: deps.log.child({ component: "notion" }),
      databases: {
        accounts: config.NOTION_ACCOUNTS_DB!,
        ...setOnly({
          tickets: config.NOTION_TICKETS_DB,
          qbrs: config.NOTION_QBRS_DB,
          expansion: config.NOTION_EXPANSION_DB,
        }),
      },
      replayIntervalMs: config.NOTION_OUTBOX_REPLAY_MS,
    });
    out.records = records;
    out.start = () => records.start();
    out.close = () => records.close();
  }
  if (
    !skip.mail &&
    config.GMAIL_CLIENT_ID &&
    config.GMAIL_CLIENT_SECRET &&
    config.GMAIL_REFRESH_TOKEN &&
    config.GMAIL_SENDER
  ) {
    out.mail = new GmailDrafts({
      clientId: config.GMAIL_CLIENT_ID,
      clientSecret: config.GMAIL_CLIENT_SECRET,
      refreshToken: config.GMAIL_REFRESH_TOKEN,
      sender: config.GMAIL_SENDER,
      ...setOnly({ rootUrl: config.GMAIL_ROOT_URL, tokenUrl: config.GMAIL_TOKEN_URL }),
      db: deps.db,
      effects: deps.effects,
      clock: deps.clock,
      log: deps.log.child({ component: "gmail" }),
    });
  }
  if (!skip.chat && config.SLACK_BOT_TOKEN) {
    out.chat = new SlackAlerts({
      token: config.SLACK_BOT_TOKEN,
      ...setOnly({ defaultChannel: config.SLACK_ALERT_CHANNEL, apiUrl: config.SLACK_API_URL }),
      db: deps.db,
      clock: deps.clock,
      log: deps.log.child({ component: "slack" }),
    });
  }
  if (!skip.llm && config.OPENAI_API_KEY) {
    out.llm = new OpenAiNarrator({
      apiKey: config.OPENAI_API_KEY,
      model: config.OPENAI_MODEL,
      ...setOnly({ baseUrl: config.OPENAI_BASE_URL }),
      timeoutMs: config.OPENAI_TIMEOUT_MS,
      maxRetries: config.OPENAI_MAX_RETRIES,
      log: deps.log.child({ component: "openai" }),
    });
  }
  return out;
}
