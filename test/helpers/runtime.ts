import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/api/app.js";
import type { Clock } from "../../src/clock.js";
import { testConfig } from "../../src/config.js";
import { buildRuntime, type Runtime, type RuntimeOptions } from "../../src/runtime.js";

export const KEYS = {
  admin: "admin-key-0123456789abcdef",
  reader: "reader-key-0123456789abcdef",
  dispatcher: "dispatch-key-0123456789abcdef",
  maya: "maya-key-0123456789abcdef",
  lead: "lead-key-0123456789abcdef",
} as const;

export const API_KEYS = [
  `admin:${KEYS.admin}:admin`,
  `reader:${KEYS.reader}:read`,
  `dispatcher:${KEYS.dispatcher}:read+agents:dispatch`,
  `maya:${KEYS.maya}:read+cs:tasks+csm_id=maya.chen@example.com`,
  `lead:${KEYS.lead}:read+cs:tasks+cs:team+csm_id=lead@example.com`,
].join(",");

export const auth = (key: string = KEYS.admin) => ({ authorization: `Bearer ${key}` });

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "account-team-test-"));
}

export interface TestRuntimeOptions extends RuntimeOptions {
  dataDir?: string;
  env?: Record<string, string>;
  start?: boolean;
}

/** A runtime on a fresh (or given) data dir, demo book off unless env says otherwise. */
export async function makeRuntime(opts: TestRuntimeOptions = {}): Promise<Runtime> {
  const dataDir = opts.dataDir ?? tempDataDir();
  // Tests make hundreds of requests a second with one key; the limiter is tested on its own (limits.test.ts).
  const config = testConfig({
    DATA_DIR: dataDir,
    DEMO_BOOK: "false",
    API_KEYS,
    API_RATE_LIMIT_PER_MINUTE: "1000000",
    ...opts.env,
  });
  const runtime = await buildRuntime(config, { busRetryDelaysMs: [10, 20, 40], ...opts });
  if (opts.start !== false) await runtime.start();
  return runtime;
}

export async function makeApp(runtime: Runtime): Promise<FastifyInstance> {
  const app = await buildApp(runtime, { logger: false });
  await app.ready();
  return app;
}

export const fixedClock = (iso: string): Clock => ({ now: () => new Date(iso) });

/** Poll until `check` returns a truthy value (for work that completes in the background). */
export async function eventually<T>(
  check: () => Promise<T> | T,
  timeoutMs = 10_000,
  stepMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
