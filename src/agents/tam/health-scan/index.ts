/** The TAM health_scan handler: five nodes over the scan's rows. */
import type { TaskHandler } from "../../../graphs/agent.js";
import type { AgentDeps } from "../../deps.js";
import { escalate } from "./nodes/escalate.js";
import { persist } from "./nodes/persist.js";
import { score } from "./nodes/score.js";
import { start } from "./nodes/start.js";
import { summarize } from "./nodes/summarize.js";
import { HEALTH_SCAN_DESCRIPTION, type HealthScanScratch, HealthScanTaskSchema } from "./task.js";

export const healthScan: TaskHandler<AgentDeps, typeof HealthScanTaskSchema, HealthScanScratch> = {
  schema: HealthScanTaskSchema,
  description: HEALTH_SCAN_DESCRIPTION,
  build: (deps) => [
    ["start", start(deps)],
    ["score", score(deps)],
    ["persist", persist(deps)],
    ["escalate", escalate(deps)],
    ["summarize", summarize(deps)],
  ],
};
