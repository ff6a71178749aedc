import { Annotation } from "@langchain/langgraph";
import type { ExecutionStatus } from "../schema/statuses.js";

/**
 * The execution graph's state: small on purpose (the execution id, a cursor, the next route, and how it
 * ends); the template snapshot, step rows and approvals live in the store, so checkpoints stay small.
 */

export type Route =
  | "enter"
  | "hold"
  | "request_approval"
  | "await_approval"
  | "schedule_wait"
  | "await_wake"
  | "branch"
  | "act"
  | "complete"
  | "end";
export const ROUTES: Exclude<Route, "end">[] = [
  "enter",
  "hold",
  "request_approval",
  "await_approval",
  "schedule_wait",
  "await_wake",
  "branch",
  "act",
  "complete",
];

export interface Ending {
  status: Extract<ExecutionStatus, "completed" | "failed" | "cancelled">;
  reason: string | null;
}

const last = <T>(init: () => T) => Annotation<T>({ reducer: (_a, b) => b, default: init });

export const ExecutionState = Annotation.Root({
  execution_id: Annotation<string>(),
  cursor: last<string | null>(() => null),
  route: last<Route>(() => "enter"),
  ending: last<Ending | null>(() => null),
});
export type State = typeof ExecutionState.State;
export type Update = typeof ExecutionState.Update;
