import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

describe("config", () => {
  it("has sensible defaults with an empty environment", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      PORT: 3000,
      HOST: "127.0.0.1",
      DATA_DIR: "./.data",
      SCHEDULER_TIMEZONE: "UTC",
      DEMO_BOOK: true,
    });
    expect(c.API_KEYS).toBeUndefined();
    expect(c.dbPath.endsWith("account-team.db")).toBe(true);
  });

  it.each([
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ SCHEDULER_ENABLED: "maybe" }, "SCHEDULER_ENABLED"],
    [{ SCHEDULER_TIMEZONE: "Mars/Olympus" }, "SCHEDULER_TIMEZONE"],
    [{ API_KEYS: "ops:short:admin" }, "API_KEYS"],
    [{ API_KEYS: "ops:0123456789abcdef0:root" }, "API_KEYS"],
    [{ OPENAI_BASE_URL: "not a url" }, "OPENAI_BASE_URL"],
    [{ RAG_AMBER_MIN: "80" }, "RAG_AMBER_MIN"],
  ])("rejects %o naming %s", (env, variable) => {
    try {
      loadConfig(env as Record<string, string>);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).variable).toBe(variable);
      expect((err as Error).message.startsWith(`${variable}: `)).toBe(true);
    }
  });

  it("parses API keys with scopes that contain colons, and a csm binding", () => {
    const c = loadConfig({
      API_KEYS: "ops:0123456789abcdef:admin, maya:abcdefghijklmnopq:read+cs:tasks+csm_id=maya@example.com",
    });
    expect(c.API_KEYS).toEqual([
      { name: "ops", key: "0123456789abcdef", scopes: ["admin"] },
      { name: "maya", key: "abcdefghijklmnopq", scopes: ["read", "cs:tasks"], csm_id: "maya@example.com" },
    ]);
  });
});
