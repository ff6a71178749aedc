/** The check_expansion handler: five nodes over the scan's rows. */
import type { TaskHandler } from "../../../graphs/agent.js";
import type { AgentDeps } from "../../deps.js";
import { detect } from "./nodes/detect.js";
import { handOff } from "./nodes/hand-off.js";
import { narrate } from "./nodes/narrate.js";
import { record } from "./nodes/record.js";
import { summarize } from "./nodes/summarize.js";
import { CHECK_EXPANSION_DESCRIPTION, type CheckExpansionScratch, CheckExpansionTaskSchema } from "./task.js";

export const checkExpansion: TaskHandler<AgentDeps, typeof CheckExpansionTaskSchema, CheckExpansionScratch> =
  {
    schema: CheckExpansionTaskSchema,
    description: CHECK_EXPANSION_DESCRIPTION,
    build: (deps) => [
      ["detect", detect(deps)],
      ["narrate", narrate(deps)],
      ["record", record(deps)],
      ["hand_off", handOff(deps)],
      ["summarize", summarize(deps)],
    ],
  };
