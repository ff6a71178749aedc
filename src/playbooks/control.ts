import type { Execution, TriggerInfo } from "./store/executions.js";

export interface StartExecutionInput {
  playbook_id: string;
  account_id: string;
  trigger: TriggerInfo;
  contact_email?: string | null;
  started_by?: string | null;
}

/**
 * What triggers may do to executions: start one, pause one a higher-priority playbook preempts, and
 * let the preempted ones carry on. The engine does it; triggers only hold this contract, so the two do
 * not import each other.
 */
export interface ExecutionControl {
  /** Start an execution, or return the one already active for this playbook and customer. */
  startExecution(input: StartExecutionInput): Promise<{ execution: Execution; created: boolean }>;
  pause(id: string, by: string, reason?: string | null, preemptedBy?: string | null): Promise<unknown>;
  releasePreempted(id: string): Promise<void>;
}
