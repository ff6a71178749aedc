/**
 * Dispatch of a scheduled scan of any agent through the run manager (so it shows in /v1/runs and the
 * event stream), with overrun protection across the run manager and a run id derived from the scheduled
 * instant, so an instant fired twice starts one run.
 */
import type { TaskInput } from "../../graphs/agent-graph.js";
import type { JobFire, JobSpec, SchedulerDeps } from "../job.js";

export type ScanDeps = Pick<SchedulerDeps, "runs" | "log" | "clock">;

const stamp = (d: Date): string =>
  d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");

export const scheduledRunId = (job: string, scheduledAt: Date): string =>
  `run_sched_${job}_${stamp(scheduledAt)}`;

export async function dispatchAgentScan(
  deps: ScanDeps,
  spec: { job: string; agent_id: string; task: TaskInput },
  fire?: JobFire,
): Promise<string | null> {
  const caller = `scheduler:${spec.job}`;
  // A scan still going is not joined by another.
  const busy = await deps.runs.activeRunOf(spec.agent_id, caller);
  if (busy) {
    deps.log.warn(
      { job: spec.job, run_id: busy },
      "previous scheduled scan still running; not starting another",
    );
    return null;
  }
  const run = await deps.runs.dispatch({
    agent_id: spec.agent_id,
    task: spec.task,
    caller,
    run_id: scheduledRunId(spec.job, fire?.scheduledAt ?? deps.clock.now()),
  });
  deps.log.info({ job: spec.job, run_id: run.run_id, made_up: fire?.madeUp ?? false }, "scan dispatched");
  return run.run_id;
}

/** A job whose whole work is one scheduled scan of an agent, named after the job. */
export const agentScanJob = (
  name: string,
  cron: JobSpec["cron"],
  scan: { agent_id: string; task: TaskInput },
): JobSpec<ScanDeps> => ({
  name,
  cron,
  run: (deps, fire) => dispatchAgentScan(deps, { job: name, ...scan }, fire),
});
