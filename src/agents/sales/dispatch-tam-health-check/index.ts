/** The dispatch_tam_health_check handler: one node. */
import type { TaskHandler } from "../../../graphs/agent.js";
import type { AgentDeps } from "../../deps.js";
import { requestHealthCheck } from "./nodes/request-health-check.js";
import { DISPATCH_TAM_HEALTH_CHECK_DESCRIPTION, DispatchTamHealthCheckTaskSchema } from "./task.js";

export const dispatchTamHealthCheck: TaskHandler<AgentDeps, typeof DispatchTamHealthCheckTaskSchema> = {
  schema: DispatchTamHealthCheckTaskSchema,
  description: DISPATCH_TAM_HEALTH_CHECK_DESCRIPTION,
  build: (deps) => requestHealthCheck(deps),
};
