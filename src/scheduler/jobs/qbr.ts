/**
 * The QBR jobs:
 * - quarterly_qbr (CRON_QUARTERLY_QBR, 06:00 on 1 January, April, July and October): a QBR of the quarter
 *   just ended for every Active account;
 * - qbr_contract_check (CRON_QBR_CONTRACT_CHECK, daily): a contract_proximity QBR for each account whose
 *   renewal is QBR_CONTRACT_LEAD_DAYS (90) away, once per renewal, made up on a later day when a day
 *   was missed (within QBR_CONTRACT_MAKEUP_DAYS).
 * Both fan out over the book with QBR_JOB_CONCURRENCY runs at once, publish `scheduler.job_progress`, and
 * count an account's failure without stopping. Run ids derive from the account and the period (or the
 * renewal and the day), so a job fired twice for one instant starts no second QBR.
 */
import { createHash } from "node:crypto";
import { contractQbrDue, localDate, quarterToReview } from "../../domain/qbr.js";
import type { Account, AccountStatus } from "../../domain/types.js";
import type { RunRecord } from "../../graphs/run-manager.js";
import { type FanOutSummary, fanOut, type ItemOutcome, throttledProgress } from "../fan-out.js";
import type { JobFire, JobSpec, SchedulerDeps } from "../job.js";

export type QbrJobDeps = Pick<
  SchedulerDeps,
  "config" | "log" | "clock" | "bus" | "runs" | "records" | "effects"
>;

const CS_AGENT = "customer-success";

/** Statuses the quarterly QBR covers ("every active account"). */
export const QUARTERLY_QBR_STATUSES: AccountStatus[] = ["Active"];
/** Statuses the contract check covers: any customer who can still renew. */
export const CONTRACT_QBR_STATUSES: AccountStatus[] = ["Active", "Onboarding"];

// Account ids come from the records backend (Notion page ids, anything): a digest keeps run ids tidy.
const digest = (s: string): string => createHash("sha256").update(s).digest("hex").slice(0, 24);

export const quarterlyRunId = (accountId: string, period: string): string =>
  `run_qbr_quarterly_${digest(`${accountId}|${period}`)}`;

export const contractRunId = (accountId: string, renewalDate: string, day: string): string =>
  `run_qbr_contract_${digest(`${accountId}|${renewalDate}|${day}`)}`;

/** Remembered once a renewal's contract-proximity QBR exists: the check never generates it again. */
export const contractMarkerKey = (accountId: string, renewalDate: string): string =>
  `qbr-contract:${accountId}:${renewalDate}`;

export interface QbrJobSummary {
  job: string;
  total: number;
  succeeded: number;
  partial: number;
  skipped: number;
  failed: number;
  failures: Array<{ account_id: string; error: string }>;
}

async function accountsWith(deps: QbrJobDeps, statuses: AccountStatus[], pick: (a: Account) => boolean) {
  const out: Account[] = [];
  for await (const page of deps.records.iterateAccounts({ status: statuses })) {
    for (const a of page) if (pick(a)) out.push(a);
  }
  return out;
}

function progressTo(deps: QbrJobDeps, job: string) {
  return throttledProgress(async (p) => {
    deps.log.info({ job, ...p }, "job progress");
    await deps.bus.publish("scheduler.job_progress", { source: "scheduler", payload: { job, ...p } });
  });
}

const qbrIdOf = (run: RunRecord): string | null =>
  typeof run.result?.qbr_id === "string" ? run.result.qbr_id : null;

/**
 * A run that wrote no QBR is the account's failure; one that wrote it but ended partial (say, the review
 * draft failed) is counted apart.
 */
function judge(run: RunRecord): ItemOutcome {
  if (qbrIdOf(run) === null)
    throw new Error(run.error ?? `run ${run.run_id} ended ${run.status} without a QBR`);
  return run.status === "succeeded" ? "succeeded" : "partial";
}

function summarize<T>(job: string, s: FanOutSummary<T>, idOf: (item: T) => string): QbrJobSummary {
  return {
    job,
    total: s.total,
    ...s.counts,
    // A bounded sample: the log line of a job over a large book stays readable.
    failures: s.failures.slice(0, 20).map((f) => ({ account_id: idOf(f.item), error: f.error })),
  };
}

/** A QBR per Active account for the quarter the scheduled instant reviews. */
export async function runQuarterlyQbrs(
  deps: QbrJobDeps,
  fire?: JobFire,
): Promise<QbrJobSummary & { period: string }> {
  const job = "quarterly_qbr";
  const at = fire?.scheduledAt ?? deps.clock.now();
  // The job's own instant, in the configured zone: 06:00 on 1 January reviews Q4 even where that is
  // still 31 December in UTC, and a run made up later still reviews the quarter it was scheduled for.
  const period = quarterToReview(at, deps.config.SCHEDULER_TIMEZONE).label;
  const accounts = await accountsWith(deps, QUARTERLY_QBR_STATUSES, () => true);
  const summary = await fanOut(accounts, {
    concurrency: deps.config.QBR_JOB_CONCURRENCY,
    onProgress: progressTo(deps, job),
    worker: async (account) => {
      const run = await deps.runs.dispatchAndWait({
        agent_id: CS_AGENT,
        caller: `scheduler:${job}`,
        run_id: quarterlyRunId(account.id, period),
        task: { type: "generate_qbr", account_id: account.id, period, trigger: "quarterly" },
      });
      return judge(run);
    },
  });
  const out = { ...summarize(job, summary, (a) => a.id), period };
  deps.log.info(out, "quarterly QBRs done");
  return out;
}

/** Contract-proximity QBRs for accounts whose renewal entered the lead window and have none yet. */
export async function runContractQbrCheck(deps: QbrJobDeps): Promise<QbrJobSummary & { day: string }> {
  const job = "qbr_contract_check";
  const { config } = deps;
  const day = localDate(deps.clock.now(), config.SCHEDULER_TIMEZONE);
  const window = { leadDays: config.QBR_CONTRACT_LEAD_DAYS, makeupDays: config.QBR_CONTRACT_MAKEUP_DAYS };
  const due = await accountsWith(deps, CONTRACT_QBR_STATUSES, (a) =>
    contractQbrDue(a.renewal_date, day, window),
  );
  const summary = await fanOut(due, {
    concurrency: config.QBR_JOB_CONCURRENCY,
    onProgress: progressTo(deps, job),
    worker: async (account) => {
      const renewal = account.renewal_date!.slice(0, 10);
      const marker = contractMarkerKey(account.id, renewal);
      if ((await deps.effects.get(marker)) !== undefined) return "skipped";
      const run = await deps.runs.dispatchAndWait({
        agent_id: CS_AGENT,
        caller: `scheduler:${job}`,
        // Per renewal and day: a job fired twice in a day joins its run; a failed day is tried again
        // the next day (the marker is only set once a QBR exists).
        run_id: contractRunId(account.id, renewal, day),
        task: { type: "generate_qbr", account_id: account.id, trigger: "contract_proximity" },
      });
      const qbrId = qbrIdOf(run);
      if (qbrId !== null)
        await deps.effects.put(marker, "qbr.contract", { run_id: run.run_id, qbr_id: qbrId, day });
      return judge(run);
    },
  });
  const out = { ...summarize(job, summary, (a) => a.id), day };
  deps.log.info(out, "QBR contract check done");
  return out;
}

export const quarterlyQbrJob: JobSpec<QbrJobDeps> = {
  name: "quarterly_qbr",
  cron: (config) => config.CRON_QUARTERLY_QBR,
  run: (deps, fire) => runQuarterlyQbrs(deps, fire),
};

export const qbrContractCheckJob: JobSpec<QbrJobDeps> = {
  name: "qbr_contract_check",
  cron: (config) => config.CRON_QBR_CONTRACT_CHECK,
  run: (deps) => runContractQbrCheck(deps),
};

export const QBR_JOBS = [quarterlyQbrJob, qbrContractCheckJob];
