/**
 * The hand-off: checks the task (a hand-off over the bus was not validated by the API) and the account,
 * then publishes the durable `handoff.requested`, keyed by the run and the account.
 */
import { TaskRejected } from "../../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../../deps.js";
import { requestHandoff } from "../../../shared/handoff.js";
import { parseTaskOrReject } from "../../../shared/task-input.js";
import { AGENT_ID } from "../../agent-id.js";
import {
  type DispatchTamHealthCheckNode,
  type DispatchTamHealthCheckResult,
  DispatchTamHealthCheckTaskSchema,
  TAM_AGENT,
  TAM_TASK,
} from "../task.js";

export function requestHealthCheck(deps: AgentDeps): DispatchTamHealthCheckNode {
  return async (ctx) => {
    const task = parseTaskOrReject(
      DispatchTamHealthCheckTaskSchema,
      ctx.task,
      "dispatch_tam_health_check task",
    );
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
      } satisfies DispatchTamHealthCheckResult,
    };
  };
}
