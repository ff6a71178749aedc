/** The handle_expansion_opportunity handler: validate -> draft -> dispatch. */
import type { TaskHandler } from "../../../graphs/agent.js";
import type { AgentDeps } from "../../deps.js";
import { dispatch } from "./nodes/dispatch.js";
import { draft } from "./nodes/draft.js";
import { validate } from "./nodes/validate.js";
import {
  HANDLE_EXPANSION_OPPORTUNITY_DESCRIPTION,
  type HandleExpansionOpportunityScratch,
  HandleExpansionOpportunityTaskSchema,
} from "./task.js";

export const handleExpansionOpportunity: TaskHandler<
  AgentDeps,
  typeof HandleExpansionOpportunityTaskSchema,
  HandleExpansionOpportunityScratch
> = {
  schema: HandleExpansionOpportunityTaskSchema,
  description: HANDLE_EXPANSION_OPPORTUNITY_DESCRIPTION,
  build: (deps) => [
    ["validate", validate(deps)],
    ["draft", draft(deps)],
    ["dispatch", dispatch(deps)],
  ],
};
