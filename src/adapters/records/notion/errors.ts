import { APIResponseError, isNotionClientError, RequestTimeoutError } from "@notionhq/client";
import { errorMessage } from "../../../errors.js";

/**
 * How a failed Notion call should be treated:
 * - rate_limited: 429 or 529; Notion did not process the request, so any call may be sent again once
 *   Retry-After has passed.
 * - transient: 5xx, 409, timeouts, dropped connections; the request may or may not have been applied,
 *   so only idempotent calls are sent again.
 * - permanent: everything else (validation errors, missing objects, bad token): sending it again cannot help.
 */
export type NotionFailureKind = "rate_limited" | "transient" | "permanent";

export interface NotionFailure {
  kind: NotionFailureKind;
  status: number | null;
  code: string | null;
  /** From the Retry-After header, when the response had one. */
  retryAfterMs: number | null;
  message: string;
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Retry-After is whole seconds per Notion's docs; an HTTP date is accepted too, fractions for emulators. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number = Date.now()): number | null {
  if (value === null || value === undefined || value.trim() === "") return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : null;
}

function headerOf(err: unknown, name: string): string | null {
  const headers = (err as { headers?: unknown }).headers;
  if (!headers) return null;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name);
  const v = (headers as Record<string, string | string[] | undefined>)[name.toLowerCase()];
  return Array.isArray(v) ? (v[0] ?? null) : (v ?? null);
}

function networkCode(err: unknown): string | null {
  let e: unknown = err;
  for (let depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

export function classifyNotionError(err: unknown): NotionFailure {
  const message = errorMessage(err);
  if (RequestTimeoutError.isRequestTimeoutError(err)) {
    return { kind: "transient", status: null, code: "timeout", retryAfterMs: null, message };
  }
  if (isNotionClientError(err) && "status" in err) {
    const status = err.status;
    const code = typeof err.code === "string" ? err.code : null;
    const retryAfterMs = parseRetryAfter(headerOf(err, "retry-after"));
    if (status === 429 || status === 529)
      return { kind: "rate_limited", status, code, retryAfterMs, message };
    if (status >= 500 || status === 409) return { kind: "transient", status, code, retryAfterMs, message };
    return { kind: "permanent", status, code, retryAfterMs: null, message };
  }
  const net = networkCode(err);
  if (net || (err instanceof TypeError && /fetch failed|network/i.test(err.message))) {
    return { kind: "transient", status: null, code: net ?? "network", retryAfterMs: null, message };
  }
  return { kind: "permanent", status: null, code: null, retryAfterMs: null, message };
}

/** A failure that a later replay may get past (rate limits, outages), as opposed to a refused write. */
export const isTransientNotionFailure = (err: unknown): boolean =>
  classifyNotionError(err).kind !== "permanent";

/** Notion has no such object, or none shared with the integration (404, object_not_found). */
export const isNotionNotFound = (err: unknown): boolean =>
  APIResponseError.isAPIResponseError(err) && (err.code === "object_not_found" || err.status === 404);

/**
 * A page that is not there: not found, or an id Notion cannot take as one (400 validation_error naming
 * the id), which no page can have either.
 */
export const isMissingPage = (err: unknown): boolean =>
  isNotionNotFound(err) ||
  (APIResponseError.isAPIResponseError(err) &&
    err.status === 400 &&
    err.code === "validation_error" &&
    /id/i.test(err.message));

/** Thrown by the adapter for a Notion problem it can describe better than the raw API error. */
export class NotionConfigError extends Error {
  override readonly name = "NotionConfigError";
}
