/**
 * Dispatch of a scheduled scan of any agent through the run manager (so it shows in /v1/runs and the
 * event stream), with overrun protection across the run manager and a run id derived from the scheduled
 * instant, so an instant fired twice starts one run.
 */
import type { TaskInput } from "../../graphs/agent-graph.js";
import type { Runtime } from "../../runtime.js";
import type { JobFire } from "../index.js";
import { scheduledRunId } from "./health.js";

export async function dispatchAgentScan(
  runtime: Runtime,
  spec: { job: string; agent_id: string; task: TaskInput },
  fire?: JobFire,
): Promise<string | null> {
  const caller = `scheduler:${spec.job}`;
  const busy = await runtime.runs.activeRunOf(spec.agent_id, caller);
  if (busy) {
    runtime.log.warn(
      { job: spec.job, run_id: busy },
      "previous scheduled scan still running; not starting another",
    );
    return null;
  }
  const run = await runtime.runs.dispatch({
    agent_id: spec.agent_id,
    task: spec.task,
    caller,
    run_id: scheduledRunId(spec.job, fire?.scheduledAt ?? runtime.clock.now()),
  });
  runtime.log.info({ job: spec.job, run_id: run.run_id, made_up: fire?.madeUp ?? false }, "scan dispatched");
  return run.run_id;
}
