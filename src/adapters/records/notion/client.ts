import { Client, LogLevel } from "@notionhq/client";
import pRetry from "p-retry";
import type { Logger } from "../../../logger.js";
import type { NotionBlockResponse } from "./blocks.js";
import { classifyNotionError } from "./errors.js";
import { TokenBucket } from "./limiter.js";

/** The Notion API version that has the data-sources API: databases hold data sources, queries address those. */
export const NOTION_VERSION = "2025-09-03";

export interface RetryPolicy {
  /** Backoff retries for transient failures of idempotent calls. */
  retries: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
  /** Overall budget per call, rate-limit waits included. */
  maxRetryTimeMs: number;
}

/**
 * Reads ride out an outage of about half a minute (a scan should not fail for a blip); writes give up
 * sooner because the outbox keeps them and replays them later.
 */
export const DEFAULT_READ_RETRY: RetryPolicy = {
  retries: 8,
  minTimeoutMs: 500,
  maxTimeoutMs: 8_000,
  maxRetryTimeMs: 60_000,
};
export const DEFAULT_WRITE_RETRY: RetryPolicy = {
  retries: 3,
  minTimeoutMs: 500,
  maxTimeoutMs: 4_000,
  maxRetryTimeMs: 30_000,
};

export interface NotionApiOptions {
  token: string;
  baseUrl?: string;
  ratePerSec: number;
  burst?: number;
  /** The window the rate is promised over (10 s; tests shrink it together with the rate). */
  windowMs?: number;
  timeoutMs?: number;
  readRetry?: RetryPolicy;
  writeRetry?: RetryPolicy;
  log?: Logger;
}

export interface CallPolicy {
  /**
   * Safe to send again after an ambiguous failure (5xx, timeout): reads, and updates that set values.
   * Creates and appends are not: a 5xx may hide a success, and sending again would duplicate.
   */
  idempotent: boolean;
  /** Use the read budget (longer) rather than the write budget. */
  read?: boolean;
}

export interface NotionApiStats {
  /** Requests sent (every attempt, answered or not). */
  requests: number;
  rateLimited: number;
  retried: number;
  failed: number;
  byOp: Record<string, number>;
}

/**
 * The SDK client behind one limiter and one retry layer. @notionhq/client 5.9 sends each request once
 * (it has no retry of its own), so p-retry here is the only retry layer: 429/529 wait for Retry-After
 * (and hold back every other call too), 5xx are retried only for idempotent calls.
 */
export class NotionApi {
  readonly sdk: Client;
  readonly limiter: TokenBucket;
  readonly stats: NotionApiStats = { requests: 0, rateLimited: 0, retried: 0, failed: 0, byOp: {} };
  private readonly readRetry: RetryPolicy;
  private readonly writeRetry: RetryPolicy;
  private readonly log: Logger | undefined;

  constructor(opts: NotionApiOptions) {
    this.log = opts.log;
    this.sdk = new Client({
      auth: opts.token,
      notionVersion: NOTION_VERSION,
      timeoutMs: opts.timeoutMs ?? 30_000,
      ...(opts.baseUrl ? { baseUrl: opts.baseUrl.replace(/\/+$/, "") } : {}),
      logLevel: LogLevel.ERROR,
      // The SDK would print to the console; our logs are JSON through pino.
      logger: (level, message, extra) => this.log?.debug({ level, extra }, `notion sdk: ${message}`),
    });
    this.limiter = new TokenBucket({
      ratePerSec: opts.ratePerSec,
      ...(opts.burst !== undefined ? { burst: opts.burst } : {}),
      ...(opts.windowMs !== undefined ? { windowMs: opts.windowMs } : {}),
    });
    this.readRetry = opts.readRetry ?? DEFAULT_READ_RETRY;
    this.writeRetry = opts.writeRetry ?? DEFAULT_WRITE_RETRY;
  }

  /** One logical call: waits for the limiter before every attempt, retries per the policy. */
  async call<T>(op: string, fn: (sdk: Client) => Promise<T>, policy: CallPolicy): Promise<T> {
    const budget = policy.read ? this.readRetry : this.writeRetry;
    try {
      return await pRetry(
        async () => {
          await this.limiter.acquire();
          this.stats.requests++;
          this.stats.byOp[op] = (this.stats.byOp[op] ?? 0) + 1;
          return fn(this.sdk);
        },
        {
          retries: budget.retries,
          minTimeout: budget.minTimeoutMs,
          maxTimeout: budget.maxTimeoutMs,
          maxRetryTime: budget.maxRetryTimeMs,
          factor: 2,
          randomize: true,
          onFailedAttempt: ({ error, attemptNumber }) => {
            const f = classifyNotionError(error);
            if (f.kind === "rate_limited") {
              this.stats.rateLimited++;
              // Notion sends Retry-After on every 429; without one, a second is its documented minimum.
              this.limiter.pauseFor(f.retryAfterMs ?? 1000);
            }
            this.log?.debug(
              { op, attempt: attemptNumber, status: f.status, code: f.code, kind: f.kind },
              "notion call failed",
            );
          },
          // A rate-limit wait is Notion pacing us, not a failure: it costs time, not a retry.
          shouldConsumeRetry: ({ error }) => classifyNotionError(error).kind !== "rate_limited",
          shouldRetry: ({ error }) => {
            const kind = classifyNotionError(error).kind;
            const retry = kind === "rate_limited" || (kind === "transient" && policy.idempotent);
            if (retry) this.stats.retried++;
            return retry;
          },
        },
      );
    } catch (err) {
      this.stats.failed++;
      throw err;
    }
  }
}

/** A block's children, page by page (blocks.children.list pages at most 100). */
export async function* listBlockChildren(
  api: NotionApi,
  blockId: string,
): AsyncIterable<NotionBlockResponse[]> {
  let cursor: string | undefined;
  do {
    const start = cursor;
    const res = await api.call(
      "blocks.children.list",
      (c) =>
        c.blocks.children.list({
          block_id: blockId,
          page_size: 100,
          ...(start ? { start_cursor: start } : {}),
        }),
      { idempotent: true, read: true },
    );
    yield res.results as unknown as NotionBlockResponse[];
    cursor = res.has_more ? (res.next_cursor ?? undefined) : undefined;
  } while (cursor);
}
