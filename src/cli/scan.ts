/**
 * `account-team scan [--account ID]`: run a Customer Success health scan in this process with a
 * progress bar on stderr, then print the accounts sorted by risk.
 */
import { randomUUID } from "node:crypto";
import { riskiest, skippedRows } from "../agents/customer-success/health-scan/store/summary.js";
import type { Config } from "../config.js";
import type { Progress } from "../graphs/agent-graph.js";
import type { Runtime } from "../runtime.js";
import type { Command } from "./command.js";
import { withOneOffRuntime } from "./one-off-runtime.js";

export interface ScanIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Redraw one line in place (a terminal), or print a line per phase (a pipe or a log). */
  tty: boolean;
}

const PHASES: Record<string, string> = {
  load_accounts: "loading",
  score_accounts: "scoring",
  persist_scores: "saving",
  raise_alerts: "alerting",
};

/** A plain-text progress bar: no dependency, one line redrawn with \r on a terminal. */
export function progressLine(p: Progress, width = 30): string {
  const label = (PHASES[p.phase] ?? p.phase).padEnd(9);
  const ratio = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  const filled = Math.round(ratio * width);
  return `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${p.done}/${p.total}`;
}

function progressRenderer(io: ScanIo) {
  let lastPhase = "";
  let last: Progress | null = null;
  return {
    update(p: Progress) {
      if (io.tty) {
        io.err(`\r${progressLine(p)}`);
      } else if (p.phase !== lastPhase) {
        if (last) io.err(`${progressLine(last)}\n`);
      }
      lastPhase = p.phase;
      last = p;
    },
    end() {
      if (io.tty) io.err("\n");
      else if (last) io.err(`${progressLine(last)}\n`);
    },
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** Run one scan on `runtime` and print it. Returns the exit code. */
export async function runScan(runtime: Runtime, opts: { account?: string }, io: ScanIo): Promise<number> {
  const runId = `run_cli_scan_${randomUUID()}`;
  const bar = progressRenderer(io);
  const unsubscribe = runtime.bus.subscribe({ types: ["run.progress"], run_id: runId }, (e) => {
    const p = e.payload as Progress;
    bar.update({ phase: p.phase, done: p.done, total: p.total });
  });
  let run: Awaited<ReturnType<Runtime["runs"]["waitFor"]>>;
  try {
    run = await runtime.runs.dispatchAndWait(
      {
        agent_id: "customer-success",
        task: { type: "health_scan", ...(opts.account ? { account_id: opts.account } : {}) },
        caller: "cli:scan",
        run_id: runId,
      },
      24 * 3_600_000,
    );
  } finally {
    unsubscribe();
    bar.end();
  }

  const result = run.result ?? {};
  const scores = await riskiest(runtime.store.db, runId, Number.MAX_SAFE_INTEGER);
  if (scores.length > 0) {
    const rows = [["ACCOUNT", "SCORE", "RAG", "TREND", "CHURN RISK", "TOP DRIVER"]];
    for (const s of scores) {
      rows.push([
        `${s.account_name} (${s.account_id})`,
        s.score.toFixed(1),
        s.rag,
        s.trend,
        s.churn_risk,
        (s.top_driver ?? "-").replaceAll("_", " "),
      ]);
    }
    io.out(`${table(rows)}\n`);
  }
  const skipped = await skippedRows(runtime.store.db, runId);
  if (skipped.length > 0) {
    io.out(`\nskipped ${skipped.length}:\n`);
    for (const s of skipped) io.out(`  ${s.account_id}: ${s.reason}\n`);
  }
  const raised = (result.alerts_raised as Array<{ account_id: string; failed_channels: string[] }>) ?? [];
  const deferred = (result.alerts_deferred as unknown[]) ?? [];
  io.out(
    `\nscanned ${result.scanned ?? 0}, scored ${result.scored ?? 0}, skipped ${skipped.length}; ` +
      `alerts raised ${raised.length}, deferred ${deferred.length}; run ${runId} ${run.status}\n`,
  );
  for (const a of raised.filter((r) => r.failed_channels.length > 0)) {
    io.err(`alert for ${a.account_id}: failed channels ${a.failed_channels.join(", ")}\n`);
  }
  if (run.status !== "succeeded") {
    io.err(`scan ${run.status}: ${run.error ?? "see the run's result"}\n`);
    return 1;
  }
  return 0;
}

export const scanCommand: Command = {
  name: "scan",
  usage: "scan [--account ID]",
  summary: "Run a health scan with a progress bar, then print accounts sorted by churn risk",
  options: { account: { type: "string" } },
  run(config: Config, args) {
    const account = typeof args.account === "string" ? args.account : undefined;
    return withOneOffRuntime(config, (runtime) =>
      runScan(runtime, account ? { account } : {}, {
        out: (t) => process.stdout.write(t),
        err: (t) => process.stderr.write(t),
        tty: process.stderr.isTTY === true,
      }),
    );
  },
};
