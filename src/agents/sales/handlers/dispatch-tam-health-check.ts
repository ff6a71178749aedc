/**
 * Sales `dispatch_tam_health_check` {account_id, reason} (issue 6, item 4; seed 004's Sales -> TAM
 * hand-off): publishes a durable `handoff.requested` for a TAM `health_scan` of the account and returns
 * the TAM run id, which derives from the hand-off event so it is known before the TAM has seen it.
 */
import { type NodeFn, TaskRejected } from "../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../deps.js";
import { requestHandoff } from "../../shared/handoff.js";
import { parseTaskOrReject } from "../../shared/task-input.js";
import { AGENT_ID, dispatchTamHealthCheckTask } from "../tasks.js";

/** The TAM's agent id and task type: named here, never imported (agents do not import each other). */
const TAM_AGENT = "tam";
const TAM_TASK = "health_scan";

export function dispatchTamHealthCheckHandler(deps: AgentDeps): NodeFn {
  return async (ctx) => {
    const task = parseTaskOrReject(dispatchTamHealthCheckTask, ctx.task, "dispatch_tam_health_check task");
    const account = await deps.records.getAccount(task.account_id);
    if (!account) throw new TaskRejected(`account ${task.account_id} not found`);
    const receipt = await requestHandoff(deps, {
      key: `tam-health-check:${ctx.run_id}:${account.id}`,
      source: AGENT_ID,
      to_agent: TAM_AGENT,
      task: { type: TAM_TASK, account_id: account.id },
      reason: task.reason,
      account_id: account.id,
      run_id: ctx.run_id,
    });
    return {
      result: {
        account_id: account.id,
        tam_run_id: receipt.run_id,
        handoff_event_id: receipt.event_id,
        reason: task.reason,
        confidence: "high",
      },
    };
  };
}
