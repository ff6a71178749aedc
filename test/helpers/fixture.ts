/**
 * The shared test fixture: a runtime on a fresh data dir and the HTTP app over it, built once per test
 * file for the tests that ask for them, and closed after the file's last test.
 *
 *   import { test } from "../helpers/fixture.js";
 *   test.override("runtimeOptions", { env: { DEMO_BOOK: "true" } }); // optional, per file or describe
 *   test("lists accounts", async ({ app }) => { ... });
 */
import type { FastifyInstance } from "fastify";
import { test as base } from "vitest";
import type { Runtime } from "../../src/runtime.js";
import { makeApp, makeRuntime, type TestRuntimeOptions } from "./runtime.js";

export const test = base
  .extend("runtimeOptions", { scope: "file" }, {} as TestRuntimeOptions)
  .extend("runtime", { scope: "file" }, async ({ runtimeOptions }, { onCleanup }): Promise<Runtime> => {
    const runtime = await makeRuntime(runtimeOptions);
    onCleanup(() => runtime.close({ graceMs: 0 }));
    return runtime;
  })
  .extend("app", { scope: "file" }, async ({ runtime }, { onCleanup }): Promise<FastifyInstance> => {
    const app = await makeApp(runtime);
    onCleanup(() => app.close());
    return app;
  });

export { describe, expect } from "vitest";
