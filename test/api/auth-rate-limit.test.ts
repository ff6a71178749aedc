/** The per-key rate limit, in a file of its own: every request of the file's tests spends a token. */
import { describe, expect, test } from "../helpers/fixture.js";
import { auth, KEYS } from "../helpers/runtime.js";

test.override("runtimeOptions", { env: { API_RATE_LIMIT_PER_MINUTE: "60" } });

describe("API rate limit", () => {
  test("rate-limits per key with 429 and Retry-After, leaving other keys alone", async ({ app }) => {
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
  });
});
