import { APIResponseError } from "@notionhq/client";
import { afterEach, describe, expect, it } from "vitest";
import { NotionApi } from "../../../../src/adapters/records/notion/client.js";
import { classifyNotionError, parseRetryAfter } from "../../../../src/adapters/records/notion/errors.js";
import { TokenBucket } from "../../../../src/adapters/records/notion/limiter.js";
import { NotionEmulator } from "../../../emulators/notion.js";
import { FAST_RETRY } from "../../notion-stack.js";

/** Most requests in any window [t, t + windowMs) of the given arrival times. */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe("TokenBucket", () => {
  it("keeps every window within the rate, burst included", async () => {
    const bucket = new TokenBucket({ ratePerSec: 100, burst: 5, windowMs: 200 });
    const times: number[] = [];
    await Promise.all(
      Array.from({ length: 60 }, () => bucket.acquire().then(() => times.push(performance.now()))),
    );
    expect(times).toHaveLength(60);
    // 100/s over 200 ms is 20 requests.
    expect(maxInWindow(times, 200)).toBeLessThanOrEqual(20);
    expect(bucket.steadyRatePerSec).toBeLessThan(100);
  });

  it("holds every caller back while paused", async () => {
    const bucket = new TokenBucket({ ratePerSec: 1000, burst: 3, windowMs: 100 });
    await bucket.acquire();
    const t0 = performance.now();
    bucket.pauseFor(120);
    await Promise.all([bucket.acquire(), bucket.acquire()]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(115);
  });
});

describe("Notion error classification", () => {
  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter("0.25")).toBe(250);
    expect(parseRetryAfter(new Date(Date.now() + 3000).toUTCString(), Date.now())).toBeGreaterThan(1000);
    expect(parseRetryAfter(null)).toBeNull();
  });

  it("sorts failures into rate limited, transient and permanent", () => {
    const err = (status: number, code: string) =>
      new APIResponseError({
        code: code as never,
        status,
        message: code,
        headers: new Headers({ "retry-after": "1" }),
        rawBodyText: "{}",
        additional_data: undefined,
        request_id: undefined,
      });
    expect(classifyNotionError(err(429, "rate_limited"))).toMatchObject({
      kind: "rate_limited",
      retryAfterMs: 1000,
    });
    expect(classifyNotionError(err(503, "service_unavailable")).kind).toBe("transient");
    expect(classifyNotionError(err(409, "conflict_error")).kind).toBe("transient");
    expect(classifyNotionError(err(400, "validation_error")).kind).toBe("permanent");
    expect(classifyNotionError(err(404, "object_not_found")).kind).toBe("permanent");
    expect(classifyNotionError(Object.assign(new Error("x"), { code: "ECONNREFUSED" })).kind).toBe(
      "transient",
    );
  });
});

describe("NotionApi against the emulator", () => {
  let emu: NotionEmulator;
  afterEach(async () => {
    await emu.close();
  });

  const setup = async (
    opts: ConstructorParameters<typeof NotionApi>[0] extends infer O ? Partial<O> : never = {},
  ) => {
    emu = await NotionEmulator.start({ retryAfterSeconds: 0.2 });
    const api = new NotionApi({
      token: emu.token,
      baseUrl: emu.url,
      ratePerSec: 1000,
      readRetry: FAST_RETRY,
      writeRetry: FAST_RETRY,
      ...opts,
    });
    const parent = emu.addParentPage();
    const { data_source_id } = emu.addDatabase("Things", { Name: { title: {} } }, parent);
    return { api, data_source_id, parent };
  };

  it("sends the 2025-09-03 version and waits for Retry-After on 429", async () => {
    const { api, data_source_id } = await setup();
    emu.failNext(1, 429);
    const t0 = performance.now();
    const res = await api.call("data_sources.query", (c) => c.dataSources.query({ data_source_id }), {
      idempotent: true,
      read: true,
    });
    expect(res.results).toEqual([]);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
    expect(emu.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(api.stats.rateLimited).toBe(1);
  });

  it("retries a 503 for an idempotent call", async () => {
    const { api, data_source_id } = await setup();
    emu.failNext(2, 503);
    await api.call("data_sources.query", (c) => c.dataSources.query({ data_source_id }), {
      idempotent: true,
    });
    expect(emu.requests.map((r) => r.status)).toEqual([503, 503, 200]);
  });

  it("does not send a create again after a 503 (it may have been applied)", async () => {
    const { api, data_source_id } = await setup();
    emu.failNext(1, 503);
    await expect(
      api.call(
        "pages.create",
        (c) => c.pages.create({ parent: { data_source_id }, properties: { Name: { title: [] } } }),
        { idempotent: false },
      ),
    ).rejects.toMatchObject({ status: 503 });
    expect(emu.requests).toHaveLength(1);
  });

  it("sends a create again after 529: Notion did not process it", async () => {
    const { api, data_source_id } = await setup();
    emu.failNext(1, 529);
    await api.call(
      "pages.create",
      (c) => c.pages.create({ parent: { data_source_id }, properties: { Name: { title: [] } } }),
      { idempotent: false },
    );
    expect(emu.requests.map((r) => r.status)).toEqual([529, 200]);
    expect(emu.pagesOf(data_source_id)).toHaveLength(1);
  });

  it("never retries a validation error", async () => {
    const { api, data_source_id } = await setup();
    await expect(
      api.call(
        "pages.create",
        (c) => c.pages.create({ parent: { data_source_id }, properties: { Nope: { rich_text: [] } } }),
        { idempotent: false },
      ),
    ).rejects.toMatchObject({ code: "validation_error", message: "Nope is not a property that exists." });
    expect(emu.requests).toHaveLength(1);
  });

  it("gives up on an outage longer than the budget", async () => {
    const { api, data_source_id } = await setup();
    emu.outage(503, 10_000);
    await expect(
      api.call("data_sources.query", (c) => c.dataSources.query({ data_source_id }), { idempotent: true }),
    ).rejects.toMatchObject({ status: 503 });
    expect(emu.requests).toHaveLength(FAST_RETRY.retries + 1);
  });
});
