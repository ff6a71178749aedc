/**
 * The contract between the scheduler and its jobs. A job names the services it uses as its `Deps` (a Pick
 * of SchedulerDeps); the scheduler hands every job the same SchedulerDeps object (the runtime satisfies it).
 */
import type { RecordsPort } from "../adapters/records/port.js";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { EventBus } from "../events/bus.js";
import type { RunManager } from "../graphs/run-manager.js";
import type { Logger } from "../logger.js";
import type { Playbooks } from "../playbooks/service.js";
import type { TaskQueue } from "../queue/service.js";
import type { SchedulerJobs } from "../store/scheduler-jobs.js";
import type { SideEffects } from "../store/side-effects.js";

/** Every service the scheduler or a job may ask for. */
export interface SchedulerDeps {
  config: Config;
  log: Logger;
  clock: Clock;
  bus: EventBus;
  runs: RunManager;
  records: RecordsPort;
  effects: SideEffects;
  /** Each job's last scheduled instant and how its run went. */
  schedulerJobs: SchedulerJobs;
  queue: Pick<TaskQueue, "generate">;
  playbooks: Pick<Playbooks, "engine">;
}

/** The instant a run of a job is for: a made-up run gets the instant it missed. */
export interface JobFire {
  scheduledAt: Date;
  madeUp: boolean;
}

export interface JobSpec<D = SchedulerDeps> {
  /** Stable name, also what JOBS_DISABLED lists. */
  name: string;
  /** A cron expression, or one read from config (jobs whose schedule is configurable). */
  cron: string | ((config: Config) => string);
  run: (deps: D, fire?: JobFire) => Promise<unknown>;
}
