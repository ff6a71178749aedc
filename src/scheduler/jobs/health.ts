/**
 * The Customer Success scans (issue 3, seed 002): a daily health scan of the whole book (07:00) and a
 * daily contract check (08:00) that re-scans accounts renewing within 60 days. Both dispatch through the
 * run manager, so they show in /v1/runs and the event stream; the run id derives from the scheduled
 * instant, so a fired-twice instant starts one run.
 */
import { CONTRACT_PROXIMITY_DAYS } from "../../domain/churn.js";
import type { TaskInput } from "../../graphs/agent-graph.js";
import type { Runtime } from "../../runtime.js";
import type { JobFire, JobSpec } from "../index.js";

const CS_AGENT = "customer-success";

const stamp = (d: Date): string =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");

export const scheduledRunId = (job: string, scheduledAt: Date): string =>
  `run_sched_${job}_${stamp(scheduledAt)}`;

async function dispatchScan(
  runtime: Runtime,
  job: string,
  task: TaskInput,
  fire?: JobFire,
): Promise<string | null> {
  const caller = `scheduler:${job}`;
  // Overrun protection across the run manager: a scan still going is not joined by another.
  const busy = await runtime.runs.activeRunOf(CS_AGENT, caller);
  if (busy) {
    runtime.log.warn({ job, run_id: busy }, "previous scheduled scan still running; not starting another");
    return null;
  }
  const scheduledAt = fire?.scheduledAt ?? runtime.clock.now();
  const run = await runtime.runs.dispatch({
    agent_id: CS_AGENT,
    task,
    caller,
    run_id: scheduledRunId(job, scheduledAt),
  });
  runtime.log.info({ job, run_id: run.run_id, made_up: fire?.madeUp ?? false }, "scan dispatched");
  return run.run_id;
}

export const healthScanJob: JobSpec = {
  name: "health_scan",
  cron: (config) => config.CRON_HEALTH_SCAN,
  run: (runtime, fire) => dispatchScan(runtime, "health_scan", { type: "health_scan" }, fire),
};

export const contractCheckJob: JobSpec = {
  name: "contract_check",
  cron: (config) => config.CRON_CONTRACT_CHECK,
  run: (runtime, fire) =>
    dispatchScan(
      runtime,
      "contract_check",
      { type: "health_scan", renewal_within_days: CONTRACT_PROXIMITY_DAYS },
      fire,
    ),
};

export const HEALTH_JOBS: JobSpec[] = [healthScanJob, contractCheckJob];
