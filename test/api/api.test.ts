import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { Runtime } from "../../src/runtime.js";
import { auth, KEYS, makeApp, makeRuntime } from "../helpers/runtime.js";
import { TEST_AGENTS } from "../helpers/test-agents.js";

describe("HTTP API", () => {
  let runtime: Runtime;
  let app: FastifyInstance;
  beforeEach(async () => {
    runtime = await makeRuntime({ agents: TEST_AGENTS, env: { API_BODY_LIMIT_BYTES: "2048" } });
    app = await makeApp(runtime);
  });
  afterEach(async () => {
    await app.close();
    await runtime.close({ graceMs: 0 });
  });

  const dispatch = (body: unknown, headers: Record<string, string> = {}, query = "") =>
    app.inject({
      method: "POST",
      url: `/v1/agents/test-three-step/tasks${query}`,
      headers: { ...auth(), ...headers },
      payload: body as object,
    });

  it("serves /healthz and /readyz without a key", async () => {
    expect((await app.inject("/healthz")).json()).toEqual({ status: "ok" });
    const ready = await app.inject("/readyz");
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.store.ok).toBe(true);
  });

  it("serves the OpenAPI document at /docs", async () => {
    const res = await app.inject("/docs/json");
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toContain("/v1/agents/{agent_id}/tasks");
  });

  it("401 without a key or with a wrong one, in the uniform error shape", async () => {
    const none = await app.inject("/v1/agents");
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    expect((await app.inject({ url: "/v1/agents", headers: auth("nope-nope-nope-nope") })).statusCode).toBe(
      401,
    );
  });

  it("403 for a missing scope", async () => {
    const res = await dispatch({ type: "echo", message: "x" }, auth(KEYS.reader));
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain("agents:dispatch");
  });

  it("lists agents with their task types", async () => {
    const res = await app.inject({ url: "/v1/agents", headers: auth(KEYS.reader) });
    expect(res.statusCode).toBe(200);
    const three = res.json().agents.find((a: { agent_id: string }) => a.agent_id === "test-three-step");
    expect(three.task_types.map((t: { type: string }) => t.type)).toEqual(["three_step", "echo"]);
  });

  it("404 for an unknown agent; 400 for an unknown task type listing the supported ones", async () => {
    const missing = await app.inject({
      method: "POST",
      url: "/v1/agents/nobody/tasks",
      headers: auth(),
      payload: { type: "x" },
    });
    expect(missing.statusCode).toBe(404);
    const unknown = await dispatch({ type: "dance" });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details.supported_types).toEqual(["three_step", "echo"]);
  });

  it("400 for an unknown body field, naming it; 400 for a bad field", async () => {
    const extra = await dispatch({ type: "echo", message: "x", colour: "red" });
    expect(extra.statusCode).toBe(400);
    expect(JSON.stringify(extra.json())).toContain("colour");
    const bad = await dispatch({ type: "echo", message: "" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain("body.message");
  });

  it("413 for an oversized body", async () => {
    const res = await dispatch({ type: "echo", message: "x".repeat(5000) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe("payload_too_large");
  });

  it("202 with run_id, then the run; ?wait=true returns the finished run", async () => {
    const res = await dispatch({ type: "echo", message: "hello" });
    expect(res.statusCode).toBe(202);
    const { run_id } = res.json();
    expect(run_id).toMatch(/^run_/);
    await runtime.runs.waitFor(run_id);
    const run = await app.inject({ url: `/v1/runs/${run_id}`, headers: auth(KEYS.reader) });
    expect(run.json()).toMatchObject({ status: "succeeded", result: { echo: "hello" }, children: [] });

    const waited = await dispatch({ type: "echo", message: "now" }, {}, "?wait=true");
    expect(waited.statusCode).toBe(200);
    expect(waited.json()).toMatchObject({ status: "succeeded", result: { task_type: "echo", echo: "now" } });
  });

  it("Idempotency-Key: same key and body -> same response; different body -> 422; in flight -> 409", async () => {
    const first = await dispatch({ type: "echo", message: "a" }, { "idempotency-key": "k1" });
    const again = await dispatch({ type: "echo", message: "a" }, { "idempotency-key": "k1" });
    expect(again.statusCode).toBe(first.statusCode);
    expect(again.json().run_id).toBe(first.json().run_id);
    expect(again.headers["idempotent-replayed"]).toBe("true");

    const other = await dispatch({ type: "echo", message: "b" }, { "idempotency-key": "k1" });
    expect(other.statusCode).toBe(422);

    const slow = dispatch(
      { type: "echo", message: "slow", delay_ms: 300 },
      { "idempotency-key": "k2" },
      "?wait=true",
    );
    await new Promise((r) => setTimeout(r, 50));
    const during = await dispatch(
      { type: "echo", message: "slow", delay_ms: 300 },
      { "idempotency-key": "k2" },
      "?wait=true",
    );
    expect(during.statusCode).toBe(409);
    expect((await slow).statusCode).toBe(200);

    // Keys are per caller: another key may reuse the name.
    const otherCaller = await dispatch(
      { type: "echo", message: "b" },
      { ...auth(KEYS.dispatcher), "idempotency-key": "k1" },
    );
    expect(otherCaller.statusCode).toBe(202);
  });

  it("paginates events by seq and rejects unknown event types", async () => {
    for (let i = 0; i < 3; i++) {
      await runtime.bus.publish("alert.raised", {
        source: "t",
        payload: { severity: "info", title: `t${i}` },
      });
    }
    const page = await app.inject({ url: "/v1/events?since=1&limit=1", headers: auth(KEYS.reader) });
    expect(page.json().events.map((e: { seq: number }) => e.seq)).toEqual([2]);
    expect(page.json().next_since).toBe(2);
    const bad = await app.inject({ url: "/v1/events?types=nope.happened", headers: auth(KEYS.reader) });
    expect(bad.statusCode).toBe(400);
  });

  describe("WebSockets", () => {
    let base: string;
    beforeEach(async () => {
      base = (await app.listen({ port: 0, host: "127.0.0.1" })).replace("http", "ws");
    });

    const collect = (url: string, headers: Record<string, string>, until: (msgs: unknown[]) => boolean) =>
      new Promise<unknown[]>((resolve, reject) => {
        const msgs: unknown[] = [];
        const ws = new WebSocket(url, { headers });
        ws.on("message", (d) => {
          msgs.push(JSON.parse(String(d)));
          if (until(msgs)) {
            ws.close();
            resolve(msgs);
          }
        });
        ws.on("close", () => resolve(msgs));
        ws.on("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
        ws.on("error", reject);
      });

    it("refuses the upgrade without a key", async () => {
      await expect(collect(`${base}/v1/events/stream`, {}, () => true)).rejects.toThrow("HTTP 401");
    });

    it("a client reconnecting with since=N receives exactly the events after N", async () => {
      for (let i = 1; i <= 5; i++) {
        await runtime.bus.publish("alert.raised", {
          source: "t",
          payload: { severity: "info", title: `w${i}` },
        });
      }
      const msgs = collect(`${base}/v1/events/stream?since=3`, auth(KEYS.reader), (m) => m.length === 4);
      await new Promise((r) => setTimeout(r, 100));
      await runtime.bus.publish("alert.raised", { source: "t", payload: { severity: "info", title: "w6" } });
      await runtime.bus.publish("alert.raised", { source: "t", payload: { severity: "info", title: "w7" } });
      const seqs = (await msgs).map((m) => (m as { event: { seq: number } }).event.seq);
      expect(seqs).toEqual([4, 5, 6, 7]);
    });

    it("streams a run: snapshot, progress, then the finish", async () => {
      const res = await app.inject({
        method: "POST",
        url: "/v1/agents/test-three-step/tasks",
        headers: auth(),
        payload: { type: "three_step" },
      });
      const { run_id } = res.json();
      const msgs = (await collect(
        `${base}/v1/runs/${run_id}/stream`,
        auth(KEYS.reader),
        () => false,
      )) as Array<{
        kind: string;
        event?: { type: string };
      }>;
      expect(msgs[0]!.kind).toBe("run");
      const types = msgs.slice(1).map((m) => m.event!.type);
      expect(types).toContain("run.progress");
      expect(types.at(-1)).toBe("run.finished");
    });
  });
});
