/** The generate_qbr handler: five nodes over the run's draft row. */
import type { TaskHandler } from "../../../graphs/agent.js";
import type { AgentDeps } from "../../deps.js";
import { compose } from "./nodes/compose.js";
import { gather } from "./nodes/gather.js";
import { notify } from "./nodes/notify.js";
import { publish } from "./nodes/publish.js";
import { render } from "./nodes/render.js";
import { QbrDraftStore } from "./store.js";
import { GENERATE_QBR_DESCRIPTION, type GenerateQbrScratch, GenerateQbrTaskSchema } from "./task.js";

export const generateQbr: TaskHandler<AgentDeps, typeof GenerateQbrTaskSchema, GenerateQbrScratch> = {
  schema: GenerateQbrTaskSchema,
  description: GENERATE_QBR_DESCRIPTION,
  build(deps) {
    const store = new QbrDraftStore(deps.store.db);
    return [
      ["gather", gather(deps, store)],
      ["compose", compose(deps, store)],
      ["render", render(deps, store)],
      ["publish", publish(deps, store)],
      ["notify", notify(deps, store)],
    ];
  },
};
