import { randomUUID } from "node:crypto";
import { LogLevel, WebAPIPlatformError, WebAPIRateLimitedError, WebClient } from "@slack/web-api";
import type { Kysely } from "kysely";
import type { Clock } from "../../clock.js";
import type { Logger } from "../../logger.js";
import type { Database } from "../../store/schema.js";
import { InFlight } from "../in-flight.js";
import type { Reachability } from "../records/port.js";
import { alertRow } from "./local.js";
import type { AlertInput, AlertResult, ChatPort } from "./port.js";
import { alertBlocks } from "./slack-blocks.js";

export interface SlackAlertsOptions {
  token: string;
  /** SLACK_ALERT_CHANNEL: for alerts whose account has no Slack Channel of its own. */
  defaultChannel?: string;
  /** Web API base URL, e.g. https://slack.com/api/ (proxies, emulators). */
  apiUrl?: string;
  db: Kysely<Database>;
  clock: Clock;
  log: Logger;
  /** How many 429s one alert waits out before it is recorded as rate limited. */
  maxRateLimitWaits?: number;
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Alerts to Slack with chat.postMessage. Every alert is also a row of the local alerts table (so
 * GET /v1/alerts shows it, with delivered and Slack's error code), keyed by its idempotency key: an
 * alert delivered once is never posted again; one that failed is tried again by a re-run.
 * The SDK's own retries are off (it would retry a post that may have gone through); a 429 is waited
 * out here for Retry-After, which Slack sends with every 429.
 */
export class SlackAlerts implements ChatPort {
  readonly kind = "slack" as const;
  private readonly client: WebClient;
  private readonly inFlight = new InFlight<AlertResult>();

  constructor(private readonly o: SlackAlertsOptions) {
    this.client = new WebClient(o.token, {
      ...(o.apiUrl ? { slackApiUrl: o.apiUrl.endsWith("/") ? o.apiUrl : `${o.apiUrl}/` } : {}),
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      timeout: o.timeoutMs ?? 15_000,
      logLevel: LogLevel.ERROR,
    });
  }

  postAlert(input: AlertInput): Promise<AlertResult> {
    return this.inFlight.run(input.idempotencyKey, () => this.deliver(input));
  }

  private async deliver(input: AlertInput): Promise<AlertResult> {
    const db = this.o.db;
    const existing = await db
      .selectFrom("alerts")
      .select(["id", "delivered"])
      .where("idempotency_key", "=", input.idempotencyKey)
      .executeTakeFirst();
    if (existing?.delivered === 1) {
      return { alert_id: existing.id, provider: "slack", ok: true, created: false };
    }
    const channel = input.channel ?? this.o.defaultChannel ?? null;
    const id = existing?.id ?? `alert_${randomUUID()}`;
    if (!existing) {
      await db
        .insertInto("alerts")
        .values(
          alertRow(id, input, { channel, delivered: false, createdAt: this.o.clock.now().toISOString() }),
        )
        .execute();
    }
    const finish = async (ok: boolean, error: string | null): Promise<AlertResult> => {
      await db
        .updateTable("alerts")
        .set({ delivered: ok ? 1 : 0, error, channel })
        .where("id", "=", id)
        .execute();
      if (!ok) this.o.log.warn({ alert_id: id, channel, error }, "slack alert not delivered");
      return { alert_id: id, provider: "slack", ok, ...(error ? { error } : {}), created: true };
    };
    if (!channel) return finish(false, "no_channel");

    const { text, blocks } = alertBlocks(input);
    const maxWaits = this.o.maxRateLimitWaits ?? 3;
    for (let waits = 0; ; waits++) {
      try {
        await this.client.chat.postMessage({ channel, text, blocks, unfurl_links: false });
        return finish(true, null);
      } catch (err) {
        if (err instanceof WebAPIRateLimitedError && waits < maxWaits) {
          await sleep(err.retryAfter * 1000);
          continue;
        }
        if (err instanceof WebAPIRateLimitedError) return finish(false, "ratelimited");
        // ok:false: Slack's own error code (channel_not_found, not_in_channel, invalid_blocks, ...).
        if (err instanceof WebAPIPlatformError) return finish(false, err.data.error);
        return finish(false, `request_failed: ${(err as Error).message}`);
      }
    }
  }

  async ping(): Promise<Reachability> {
    try {
      const res = await this.client.auth.test();
      const where = this.o.defaultChannel
        ? `, default channel ${this.o.defaultChannel}`
        : ", no default channel";
      return { ok: true, detail: `Slack as ${res.user ?? "bot"} in ${res.team ?? "workspace"}${where}` };
    } catch (err) {
      const code = err instanceof WebAPIPlatformError ? err.data.error : (err as Error).message;
      return { ok: false, detail: `Slack unreachable: ${code}` };
    }
  }
}
