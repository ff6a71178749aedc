import { buildRuntime } from "../runtime.js";
import type { Command } from "./command.js";
import type { DoctorCheck } from "./doctor-check.js";
import { notionOutboxChecks, notionSchemaChecks } from "./notion-checks.js";

/** What doctor checks after each port's ping, in order. */
const CHECKS: readonly DoctorCheck[] = [notionSchemaChecks, notionOutboxChecks];

export const doctorCommand: Command = {
  name: "doctor",
  usage: "doctor",
  summary: "Show which adapter serves each port and whether it is reachable",
  async run(config) {
    const runtime = await buildRuntime(config);
    let failed = 0;
    try {
      const ports = [
        ["records", runtime.records],
        ["mail", runtime.mail],
        ["chat", runtime.chat],
        ["llm", runtime.llm],
      ] as const;
      process.stdout.write(`store: ${config.dbPath}\n`);
      for (const [name, port] of ports) {
        const r = await port.ping().catch((err: unknown) => ({ ok: false, detail: (err as Error).message }));
        if (!r.ok) failed++;
        process.stdout.write(
          `${r.ok ? "ok  " : "FAIL"} ${name.padEnd(8)} ${port.kind.padEnd(9)} ${r.detail}\n`,
        );
      }
      for (const check of CHECKS) {
        for (const r of await check(runtime)) {
          if (!r.ok) failed++;
          process.stdout.write(`${r.ok ? "ok  " : "FAIL"} ${r.name.padEnd(18)} ${r.detail}\n`);
        }
      }
    } finally {
      await runtime.close({ graceMs: 0 });
    }
    return failed > 0 ? 1 : 0;
  },
};
