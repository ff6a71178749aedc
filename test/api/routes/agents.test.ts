import { describe, expect, test } from "../../helpers/fixture.js";
import { auth, KEYS } from "../../helpers/runtime.js";
import { API_TEST_OPTIONS, dispatch } from "../helpers.js";

test.override("runtimeOptions", API_TEST_OPTIONS);

describe("agents and their tasks over HTTP", () => {
  test("lists agents with their task types", async ({ app }) => {
    const res = await app.inject({ url: "/v1/agents", headers: auth(KEYS.reader) });
    expect(res.statusCode).toBe(200);
    const three = res.json().agents.find((a: { agent_id: string }) => a.agent_id === "test-three-step");
    expect(three.task_types.map((t: { type: string }) => t.type)).toEqual(["three_step", "echo"]);
  });

  test("404 for an unknown agent; 400 for an unknown task type listing the supported ones", async ({
    app,
  }) => {
    const missing = await app.inject({
      method: "POST",
      url: "/v1/agents/nobody/tasks",
      headers: auth(),
      payload: { type: "x" },
    });
    expect(missing.statusCode).toBe(404);
    const unknown = await dispatch(app, { type: "dance" });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details.supported_types).toEqual(["three_step", "echo"]);
  });

  test("400 for an unknown body field, naming it; 400 for a bad field", async ({ app }) => {
    const extra = await dispatch(app, { type: "echo", message: "x", colour: "red" });
    expect(extra.statusCode).toBe(400);
    expect(JSON.stringify(extra.json())).toContain("colour");
    const bad = await dispatch(app, { type: "echo", message: "" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain("body.message");
  });

  test("202 with run_id, then the run; ?wait=true returns the finished run", async ({ app, runtime }) => {
    const res = await dispatch(app, { type: "echo", message: "hello" });
    expect(res.statusCode).toBe(202);
    const { run_id } = res.json();
    expect(run_id).toMatch(/^run_/);
    await runtime.runs.waitFor(run_id);
    const run = await app.inject({ url: `/v1/runs/${run_id}`, headers: auth(KEYS.reader) });
    expect(run.json()).toMatchObject({ status: "succeeded", result: { echo: "hello" }, children: [] });

    const waited = await dispatch(app, { type: "echo", message: "now" }, {}, "?wait=true");
    expect(waited.statusCode).toBe(200);
    expect(waited.json()).toMatchObject({ status: "succeeded", result: { task_type: "echo", echo: "now" } });
  });

  test("Idempotency-Key: same key and body -> same response; different body -> 422; in flight -> 409", async ({
    app,
  }) => {
    const first = await dispatch(app, { type: "echo", message: "a" }, { "idempotency-key": "k1" });
    const again = await dispatch(app, { type: "echo", message: "a" }, { "idempotency-key": "k1" });
    expect(again.statusCode).toBe(first.statusCode);
    expect(again.json().run_id).toBe(first.json().run_id);
    expect(again.headers["idempotent-replayed"]).toBe("true");

    const other = await dispatch(app, { type: "echo", message: "b" }, { "idempotency-key": "k1" });
    expect(other.statusCode).toBe(422);

    const slow = dispatch(
      app,
      { type: "echo", message: "slow", delay_ms: 300 },
      { "idempotency-key": "k2" },
      "?wait=true",
    );
    await new Promise((r) => setTimeout(r, 50));
    const during = await dispatch(
      app,
      { type: "echo", message: "slow", delay_ms: 300 },
      { "idempotency-key": "k2" },
      "?wait=true",
    );
    expect(during.statusCode).toBe(409);
    expect((await slow).statusCode).toBe(200);

    // Keys are per caller: another key may reuse the name.
    const otherCaller = await dispatch(
      app,
      { type: "echo", message: "b" },
      { ...auth(KEYS.dispatcher), "idempotency-key": "k1" },
    );
    expect(otherCaller.statusCode).toBe(202);
  });
});
