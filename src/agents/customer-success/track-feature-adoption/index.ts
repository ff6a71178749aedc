/** The track_feature_adoption handler: three nodes. */
import type { TaskHandler } from "../../../graphs/agent.js";
import type { AgentDeps } from "../../deps.js";
import { assess } from "./nodes/assess.js";
import { notify } from "./nodes/notify.js";
import { recommend } from "./nodes/recommend.js";
import {
  TRACK_FEATURE_ADOPTION_DESCRIPTION,
  type TrackFeatureAdoptionScratch,
  TrackFeatureAdoptionTaskSchema,
} from "./task.js";

export const trackFeatureAdoption: TaskHandler<
  AgentDeps,
  typeof TrackFeatureAdoptionTaskSchema,
  TrackFeatureAdoptionScratch
> = {
  schema: TrackFeatureAdoptionTaskSchema,
  description: TRACK_FEATURE_ADOPTION_DESCRIPTION,
  build: (deps) => [
    ["assess", assess(deps)],
    ["recommend", recommend(deps)],
    ["notify", notify(deps)],
  ],
};
