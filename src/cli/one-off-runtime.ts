import pino from "pino";
import { LocalRecords } from "../adapters/records/local.js";
import type { Config } from "../config.js";
import { seedDemoBook } from "../demo/seed.js";
import { createLogger } from "../logger.js";
import { buildRuntime, type Runtime } from "../runtime.js";

/**
 * Run `work` on a runtime of this process alone (`scan`, `qbr`), then close it. The runtime is built but
 * not started: this process must not resume runs or consume durable events that belong to a service
 * running on the same store; it only runs its own work. The demo book is loaded as `start` would load it.
 * Logs go to stderr and stay quiet unless LOG_LEVEL asks for debug or trace, so stdout is the output
 * alone.
 */
export async function withOneOffRuntime<T>(
  config: Config,
  work: (runtime: Runtime) => Promise<T>,
): Promise<T> {
  const verbose = config.LOG_LEVEL === "debug" || config.LOG_LEVEL === "trace";
  const log = createLogger(verbose ? config.LOG_LEVEL : "warn", pino.destination(2));
  const runtime = await buildRuntime(config, { log });
  try {
    if (runtime.records instanceof LocalRecords && config.DEMO_BOOK) {
      await seedDemoBook(runtime.store.db, runtime.records, runtime.clock, {
        accounts: config.DEMO_BOOK_ACCOUNTS,
      });
    }
    return await work(runtime);
  } finally {
    await runtime.close({ graceMs: 5_000 });
  }
}
