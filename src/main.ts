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

/** Boot: runtime (store, bus, agents, demo book), scheduler, HTTP server (and the console in consoleDir). */
export async function startService(
  config: Config,
  opts: { installSignalHandlers?: boolean; consoleDir?: string | null } = {},
): Promise<Service> {
  const runtime = await buildRuntime(config);
  await runtime.start();
  const scheduler = startScheduler(runtime);
  const app = await buildApp(runtime, { consoleDir: opts.consoleDir ?? null });
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
  printBanner(url, runtime.keys.generated);

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

/** What a person needs to begin: the console's address and, on the embedded default, the admin key. */
function printBanner(url: string, g: { key: string; file: string; fresh: boolean } | undefined): void {
  const lines = [""];
  if (g) {
    lines.push(
      g.fresh
        ? "  Generated an admin API key (no API_KEYS configured)."
        : "  Admin API key (no API_KEYS configured):",
      `    ${g.key}`,
      `  Kept in ${g.file}.`,
    );
  }
  lines.push(`  Console: ${url}/${g ? "  (sign in with the key above)" : "  (sign in with an API key)"}`);
  if (g) lines.push(`  Try:     curl -H "Authorization: Bearer ${g.key}" ${url}/v1/agents`);
  lines.push(`  API docs: ${url}/docs`, "");
  process.stdout.write(`${lines.join("\n")}\n`);
}
