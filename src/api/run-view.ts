import type { RunRecord } from "../graphs/run-manager.js";

/** A run as the API shows it: the record, links to itself and its stream, and its child runs if given. */
export const runView = (run: RunRecord, children?: RunRecord[]) => ({
  ...run,
  links: { self: `/v1/runs/${run.run_id}`, stream: `/v1/runs/${run.run_id}/stream` },
  ...(children
    ? {
        children: children.map((c) => ({
          run_id: c.run_id,
          agent_id: c.agent_id,
          task_type: c.task_type,
          status: c.status,
        })),
      }
    : {}),
});
