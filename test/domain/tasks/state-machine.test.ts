import { describe, expect, it } from "vitest";
import {
  allowedActions,
  canTransition,
  isOpenStatus,
  nextStatus,
  TASK_ACTIONS,
  TASK_STATUSES,
} from "../../../src/domain/tasks/state-machine.js";

describe("task state machine", () => {
  it("moves pending -> in_progress -> a final status, and pending <-> snoozed", () => {
    expect(nextStatus("pending", "start")).toBe("in_progress");
    for (const [action, to] of [
      ["complete", "completed"],
      ["block", "blocked"],
      ["cancel", "cancelled"],
      ["escalate", "escalated"],
    ] as const) {
      expect(canTransition("in_progress", action)).toBe(true);
      expect(nextStatus("in_progress", action)).toBe(to);
    }
    expect(nextStatus("pending", "snooze")).toBe("snoozed");
    expect(nextStatus("snoozed", "wake")).toBe("pending");
  });

  it("reschedule keeps the status of a pending or in-progress task", () => {
    expect(nextStatus("pending", "reschedule")).toBe("pending");
    expect(nextStatus("in_progress", "reschedule")).toBe("in_progress");
    expect(canTransition("snoozed", "reschedule")).toBe(false);
  });

  it("final statuses allow nothing: a task is never completed twice", () => {
    for (const status of ["completed", "cancelled", "blocked", "escalated"] as const) {
      expect(allowedActions(status)).toEqual([]);
      for (const action of TASK_ACTIONS) expect(canTransition(status, action)).toBe(false);
    }
  });

  it("offers clients every legal action but wake, which is the clock's", () => {
    expect(allowedActions("pending")).toEqual(["start", "snooze", "reschedule"]);
    expect(allowedActions("in_progress")).toEqual(["complete", "block", "cancel", "escalate", "reschedule"]);
    expect(allowedActions("snoozed")).toEqual([]);
  });

  it("blocked and escalated tasks no longer hold the customer's open slot", () => {
    expect(TASK_STATUSES.filter(isOpenStatus)).toEqual(["pending", "in_progress", "snoozed"]);
  });
});
