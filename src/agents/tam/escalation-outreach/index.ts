/** The escalation_outreach handler: one node. */
import type { TaskHandler } from "../../../graphs/agent.js";
import type { AgentDeps } from "../../deps.js";
import { draftOutreach } from "./nodes/draft-outreach.js";
import { ESCALATION_OUTREACH_DESCRIPTION, EscalationOutreachTaskSchema } from "./task.js";

export const escalationOutreach: TaskHandler<AgentDeps, typeof EscalationOutreachTaskSchema> = {
  schema: EscalationOutreachTaskSchema,
  description: ESCALATION_OUTREACH_DESCRIPTION,
  build: (deps) => draftOutreach(deps),
};
