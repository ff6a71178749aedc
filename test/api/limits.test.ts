import { afterEach, describe, expect, it } from "vitest";
import type { Runtime } from "../../src/runtime.js";
import { auth, KEYS, makeApp, makeRuntime } from "../helpers/runtime.js";

describe("API limits and internal errors", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 }).catch(() => undefined);
    runtime = undefined;
  });

  it("rate-limits per key with 429 and Retry-After, leaving other keys alone", async () => {
    runtime = await makeRuntime({ env: { API_RATE_LIMIT_PER_MINUTE: "60" } });
    const app = await makeApp(runtime);
    const codes: number[] = [];
    for (let i = 0; i < 15; i++)
      codes.push((await app.inject({ url: "/v1/agents", headers: auth(KEYS.reader) })).statusCode);
    // Burst of max(10, 60/10) requests, then refused.
    expect(codes.slice(0, 10).every((c) => c === 200)).toBe(true);
    const limited = await app.inject({ url: "/v1/agents", headers: auth(KEYS.reader) });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(limited.json().error.code).toBe("rate_limited");
    expect((await app.inject({ url: "/v1/agents", headers: auth(KEYS.admin) })).statusCode).toBe(200);
    await app.close();
  });

  it("answers 5xx without internals (no SQL, no stack)", async () => {
    runtime = await makeRuntime();
    const app = await makeApp(runtime);
    await runtime.store.db.schema.dropTable("outbox_drafts").execute();
    const res = await app.inject({ url: "/v1/drafts", headers: auth() });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: "internal", message: "internal error" } });
    await app.close();
  });
});
