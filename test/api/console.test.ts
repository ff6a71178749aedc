import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/api/app.js";
import type { Runtime } from "../../src/runtime.js";
import { auth, makeRuntime, tempDataDir } from "../helpers/runtime.js";

describe("the console at /", () => {
  let runtime: Runtime;
  let app: FastifyInstance;
  let bare: FastifyInstance;
  beforeAll(async () => {
    const dist = tempDataDir();
    fs.writeFileSync(
      path.join(dist, "index.html"),
      "<!doctype html><title>console</title><div id=root></div>",
    );
    fs.mkdirSync(path.join(dist, "assets"));
    fs.writeFileSync(path.join(dist, "assets", "index-abc123.js"), "console.log(1)");
    runtime = await makeRuntime();
    app = await buildApp(runtime, { logger: false, consoleDir: dist });
    bare = await buildApp(runtime, { logger: false, consoleDir: null });
  });
  afterAll(async () => {
    await app.close();
    await bare.close();
    await runtime.close({ graceMs: 0 });
  });

  it("serves index.html at / and for client routes, without a key", async () => {
    for (const url of ["/", "/queue", "/queue/42", "/outcomes/team?week_of=2026-03-02"]) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers["content-type"]).toContain("text/html");
      expect(res.body).toContain("<title>console</title>");
      expect(res.headers["cache-control"]).toBe("no-cache");
    }
  });

  it("serves hashed assets cached for a year, and a missing file is a 404", async () => {
    const js = await app.inject("/assets/index-abc123.js");
    expect(js.statusCode).toBe(200);
    expect(js.headers["content-type"]).toContain("javascript");
    expect(js.headers["cache-control"]).toContain("immutable");
    expect((await app.inject("/assets/gone-000.js")).statusCode).toBe(404);
    expect((await app.inject("/assets/..%2f..%2fpackage.json")).statusCode).toBe(404);
  });

  it("leaves the API alone: unknown API paths keep the JSON 404, probes and docs answer as before", async () => {
    const unknown = await app.inject({ url: "/v1/no-such-thing", headers: auth() });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({
      error: { code: "not_found", message: "no route GET /v1/no-such-thing" },
    });
    expect((await app.inject("/v1/no-such-thing")).statusCode).toBe(401);
    expect((await app.inject({ url: "/mcp/x", headers: auth() })).json().error.code).toBe("not_found");
    expect((await app.inject("/healthz")).json()).toEqual({ status: "ok" });
    expect((await app.inject("/docs/json")).json().openapi).toBeDefined();
    expect((await app.inject({ method: "POST", url: "/queue", headers: auth() })).statusCode).toBe(404);
  });

  it("says how to build the console when there is none", async () => {
    const res = await bare.inject("/queue");
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain("npm run build:web");
  });
});
