import type { EventBus } from "../events/bus.js";
import type { Execution } from "./store/executions.js";

/**
 * Playbook events carry the execution id as their run_id: an execution is the playbook's run (one
 * LangGraph thread), so the event log's run index gives each execution its own stream and replay.
 */
export class PlaybookEvents {
  constructor(private readonly bus: EventBus) {}

  private base(ex: Pick<Execution, "execution_id" | "account_id">) {
    return { source: "playbooks", account_id: ex.account_id, run_id: ex.execution_id };
  }

  async started(ex: Execution) {
    await this.bus.publish("playbook.execution_started", {
      ...this.base(ex),
      payload: { execution_id: ex.execution_id, playbook_id: ex.playbook_id, trigger: ex.trigger.type },
    });
  }

  async step(ex: Execution, stepId: string, status: string, output?: Record<string, unknown>) {
    await this.bus.publish("playbook.step_transitioned", {
      ...this.base(ex),
      payload: { execution_id: ex.execution_id, step_id: stepId, status, ...(output ? { output } : {}) },
    });
  }

  async awaitingApproval(ex: Execution, stepId: string, approvalId: string) {
    await this.bus.publish("playbook.step_awaiting_approval", {
      ...this.base(ex),
      payload: { execution_id: ex.execution_id, step_id: stepId, approval_id: approvalId },
    });
  }

  async status(ex: Execution, status: string, previous: string, reason: string | null = null) {
    await this.bus.publish("playbook.execution_status_changed", {
      ...this.base(ex),
      payload: {
        execution_id: ex.execution_id,
        playbook_id: ex.playbook_id,
        status,
        previous_status: previous,
        reason,
      },
    });
  }

  async finished(ex: Execution, status: string) {
    await this.bus.publish("playbook.execution_finished", {
      ...this.base(ex),
      payload: { execution_id: ex.execution_id, playbook_id: ex.playbook_id, status },
    });
  }

  async decided(ex: Execution, approvalId: string, decision: "approve" | "reject" | "edit", by: string) {
    await this.bus.publish("approval.decided", {
      ...this.base(ex),
      payload: { approval_id: approvalId, decision, by },
    });
  }

  async suppressed(accountId: string, playbookId: string, trigger: string, blocking: string, reason: string) {
    await this.bus.publish("playbook.trigger_suppressed", {
      source: "playbooks",
      account_id: accountId,
      payload: { playbook_id: playbookId, trigger, blocking_execution_id: blocking, reason },
    });
  }
}
