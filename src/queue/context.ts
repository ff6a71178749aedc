/**
 * What every part of the task queue works with: its ports, the clock, the configured churn
 * probabilities, and the catalogue as synced into the store. TaskQueue (service.ts) builds one and
 * hands it to the modules it delegates to.
 */
import type { Kysely } from "kysely";
import type { RecordsPort } from "../adapters/records/port.js";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { EventBus } from "../events/bus.js";
import type { Logger } from "../logger.js";
import type { Database } from "../store/schema.js";
import type { CatalogIndex } from "./catalog-store.js";
import type { ChurnProbabilities } from "./scoring.js";

export interface TaskQueueDeps {
  db: Kysely<Database>;
  bus: EventBus;
  records: RecordsPort;
  clock: Clock;
  config: Config;
  log: Logger;
}

export interface QueueContext extends TaskQueueDeps {
  readonly probabilities: ChurnProbabilities;
  /** The catalogue synced into the store (once per process). */
  catalog(): Promise<CatalogIndex>;
}

/** The `source` of the events the queue publishes. */
export const QUEUE_SOURCE = "queue";

/** The inputs of the churn estimate for accounts no scan has reached yet (domain/tasks/churn-level.ts). */
export function estimateContext(config: Config) {
  return {
    thresholds: { green: config.RAG_GREEN_MIN, amber: config.RAG_AMBER_MIN },
    weights: config.CSM_HEALTH_WEIGHTS,
  };
}
