/** The update_relationship_profile handler: one node. */
import type { TaskHandler } from "../../../graphs/agent.js";
import type { AgentDeps } from "../../deps.js";
import { updateProfile } from "./nodes/update-profile.js";
import { UPDATE_RELATIONSHIP_PROFILE_DESCRIPTION, UpdateRelationshipProfileTaskSchema } from "./task.js";

export const updateRelationshipProfile: TaskHandler<AgentDeps, typeof UpdateRelationshipProfileTaskSchema> = {
  schema: UpdateRelationshipProfileTaskSchema,
  description: UPDATE_RELATIONSHIP_PROFILE_DESCRIPTION,
  build: (deps) => updateProfile(deps),
};
