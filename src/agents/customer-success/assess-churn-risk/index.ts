/** The assess_churn_risk handler: one node. */
import type { TaskHandler } from "../../../graphs/agent.js";
import type { AgentDeps } from "../../deps.js";
import { assess } from "./nodes/assess.js";
import { ASSESS_CHURN_RISK_DESCRIPTION, AssessChurnRiskTaskSchema } from "./task.js";

export const assessChurnRisk: TaskHandler<AgentDeps, typeof AssessChurnRiskTaskSchema> = {
  schema: AssessChurnRiskTaskSchema,
  description: ASSESS_CHURN_RISK_DESCRIPTION,
  build: (deps) => assess(deps),
};
