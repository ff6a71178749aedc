import { describe, expect, test } from "../helpers/fixture.js";
import { auth, KEYS } from "../helpers/runtime.js";
import { API_TEST_OPTIONS, collect, dispatch, listenWs } from "./helpers.js";

test.override("runtimeOptions", API_TEST_OPTIONS);

describe("API keys and scopes", () => {
  test("401 without a key or with a wrong one, in the uniform error shape", async ({ app }) => {
    const none = await app.inject("/v1/agents");
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    expect((await app.inject({ url: "/v1/agents", headers: auth("nope-nope-nope-nope") })).statusCode).toBe(
      401,
    );
  });

  test("403 for a missing scope", async ({ app }) => {
    const res = await dispatch(app, { type: "echo", message: "x" }, auth(KEYS.reader));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain("agents:dispatch");
  });

  test("a WebSocket: refuses the upgrade without a key", async ({ app }) => {
    const base = await listenWs(app);
    await expect(collect(`${base}/v1/events/stream`, {}, () => true)).rejects.toThrow("HTTP 401");
  });
});
