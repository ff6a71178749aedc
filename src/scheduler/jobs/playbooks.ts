import type { JobSpec, SchedulerDeps } from "../job.js";

type TickDeps = Pick<SchedulerDeps, "playbooks" | "log">;

/**
 * The playbook tick, every 5 minutes by default (CRON_PLAYBOOK_TICK): resumes executions whose wait is
 * over, carries on executions a crash or an error left stalled, checks time and condition triggers across
 * the book, and watches the champion field (a change fires champion_left). Waits are durable because they
 * live in the store as wake_at, so a tick after a restart wakes what came due while the service was down.
 */
export async function playbookTick(deps: TickDeps) {
  const report = await deps.playbooks.engine.tick();
  deps.log.info(
    {
      woken: report.woken,
      recovered: report.recovered,
      started: report.triggered.started.length,
      suppressed: report.triggered.suppressed,
      field_changes: report.triggered.field_changes,
    },
    "playbook tick",
  );
  return report;
}

export const playbookTickJob: JobSpec<TickDeps> = {
  name: "playbook_tick",
  cron: (config) => config.CRON_PLAYBOOK_TICK,
  run: (deps) => playbookTick(deps),
};

export const PLAYBOOK_JOBS = [playbookTickJob];
