import closeWithGrace from "close-with-grace";
import { buildApp } from "./api/app.js";
import type { Config } from "./config.js";
import { buildRuntime, type Runtime } from "./runtime.js";
import { startScheduler } from "./scheduler/index.js";

export interface Service {
  runtime: Runtime;
  url: string;
  close(): Promise<void>;
}

/** Boot: runtime (store, bus, agents, demo book), scheduler, HTTP server. */
export async function startService(
  config: Config,
  opts: { installSignalHandlers?: boolean } = {},
): Promise<Service> {
  const runtime = await buildRuntime(config);
  await runtime.start();
  const scheduler = startScheduler(runtime);
  const app = await buildApp(runtime);
  const address = await app.listen({ port: config.PORT, host: config.HOST });
  const url = config.PUBLIC_BASE_URL ?? address;
  runtime.log.info(
    {
      url,
      adapters: {
        records: runtime.records.kind,
        mail: runtime.mail.kind,
        chat: runtime.chat.kind,
        llm: runtime.llm.kind,
      },
      jobs: scheduler.jobs.map((j) => j.name),
    },
    "account-team listening",
  );
  if (runtime.keys.generated) printKeyBanner(url, runtime.keys.generated);

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      scheduler.stop();
      await app.close();
      await runtime.close({ graceMs: 10_000 });
    })();
    return closing;
  };

  if (opts.installSignalHandlers) {
    closeWithGrace(
      {
        delay: 20_000,
        logger: { error: (m: unknown) => runtime.log.error(m) },
        onSecondSignal: (signal: string) => {
          runtime.log.warn({ signal }, "second signal: exiting now; unfinished runs resume at next boot");
          process.exit(1);
        },
      },
      async ({ signal, err }) => {
        if (err) runtime.log.error({ err }, "shutting down after an error");
        else runtime.log.info({ signal }, "shutting down: draining runs");
        await close();
      },
    );
  }
  return { runtime, url, close };
}

function printKeyBanner(url: string, g: { key: string; file: string; fresh: boolean }): void {
  const lines = [
    "",
    g.fresh
      ? "  Generated an admin API key (no API_KEYS configured)."
      : "  Admin API key (no API_KEYS configured):",
    `    ${g.key}`,
    `  Kept in ${g.file}. Try:`,
    `    curl -H "Authorization: Bearer ${g.key}" ${url}/v1/agents`,
    `  API docs: ${url}/docs`,
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}
