/**
 * `account-team qbr --account ID [--period "Q3 2026"] [--force-new]`: generate one account's QBR in this
 * process, print it as Markdown on stdout, and say on stderr where it was written and who got the
 * review draft.
 */
import { randomUUID } from "node:crypto";
import { toMarkdown } from "../agents/customer-success/generate-qbr/markdown.js";
import { qbrTitle } from "../agents/customer-success/generate-qbr/nodes/publish.js";
import { QbrDraftStore } from "../agents/customer-success/generate-qbr/store.js";
import { GenerateQbrTaskSchema } from "../agents/customer-success/generate-qbr/task.js";
import type { Config } from "../config.js";
import type { Runtime } from "../runtime.js";
import type { Command } from "./command.js";
import { withOneOffRuntime } from "./one-off-runtime.js";

export interface QbrIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export interface QbrCliOptions {
  account: string;
  period?: string;
  force_new?: boolean;
}

/** Generate one QBR on `runtime` and print it. Returns the exit code. */
export async function runQbr(runtime: Runtime, opts: QbrCliOptions, io: QbrIo): Promise<number> {
  const parsed = GenerateQbrTaskSchema.safeParse({
    type: "generate_qbr",
    account_id: opts.account,
    trigger: "manual",
    ...(opts.period !== undefined ? { period: opts.period } : {}),
    ...(opts.force_new ? { force_new: true } : {}),
  });
  if (!parsed.success) {
    io.err(
      `qbr: ${parsed.error.issues.map((i) => `${i.path.join(".") || "task"}: ${i.message}`).join("; ")}\n`,
    );
    return 2;
  }
  const runId = `run_cli_qbr_${randomUUID()}`;
  const run = await runtime.runs.dispatchAndWait(
    { agent_id: "customer-success", task: parsed.data, caller: "cli:qbr", run_id: runId },
    3_600_000,
  );
  const draft = await new QbrDraftStore(runtime.store.db).get(runId);
  if (draft?.body)
    io.out(toMarkdown(qbrTitle(draft.facts.account.name, draft.facts.period.label), draft.body));

  const r = run.result ?? {};
  if (typeof r.qbr_id === "string") {
    const where = typeof r.url === "string" ? r.url : `QBR ${r.qbr_id}`;
    io.err(
      `${r.rewritten === true ? "rewrote" : "wrote"} the ${String(r.period)} QBR of ${String(r.account_name)} to ` +
        `${where} (${runtime.records.kind} records), ${r.blocks} blocks, written by ${String(r.generated_by)}\n`,
    );
    if (typeof r.draft_id === "string") io.err(`review draft ${r.draft_id} for ${String(r.draft_to)}\n`);
    else if (typeof r.draft_skipped === "string") io.err(`no review draft: ${r.draft_skipped}\n`);
  }
  if (run.status !== "succeeded") {
    io.err(`qbr ${run.status}: ${run.error ?? "see the run's result"} (run ${runId})\n`);
    return 1;
  }
  return 0;
}

export const qbrCommand: Command = {
  name: "qbr",
  usage: 'qbr --account ID [--period "Q3 2026"] [--force-new]',
  summary: "Generate an account's QBR, print it as Markdown and say where it was written",
  options: { account: { type: "string" }, period: { type: "string" }, "force-new": { type: "boolean" } },
  async run(config: Config, args) {
    if (typeof args.account !== "string" || args.account.trim() === "") {
      process.stderr.write(
        `account-team qbr: --account is required\nusage: account-team ${qbrCommand.usage}\n`,
      );
      return 2;
    }
    const opts: QbrCliOptions = {
      account: args.account.trim(),
      ...(typeof args.period === "string" ? { period: args.period } : {}),
      ...(args["force-new"] === true ? { force_new: true } : {}),
    };
    return withOneOffRuntime(config, (runtime) =>
      runQbr(runtime, opts, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }),
    );
  },
};
