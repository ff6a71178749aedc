import { describe, expect, it } from "vitest";
import { estimate } from "../../src/playbooks/estimate.js";
import { SAMPLE_ACCOUNT } from "../../src/playbooks/render/variables.js";
import { DefinitionSchema } from "../../src/playbooks/schema/definition.js";
import type { Execution } from "../../src/playbooks/store/executions.js";
import type { StepExecution } from "../../src/playbooks/store/steps.js";
import { email } from "./sample-steps.js";

describe("completion estimates", () => {
  it("estimates completion from waits, past step durations and the longer undecided branch", () => {
    const snapshot = DefinitionSchema.parse({
      name: "E",
      steps: [
        email("a"),
        { id: "w", name: "w", type: "wait", duration: { days: 2 } },
        {
          id: "c",
          name: "c",
          type: "condition",
          condition: { fact: "meeting_held", op: "eq", value: true },
          if_true: "long",
          if_false: "short",
        },
        { id: "long", name: "long", type: "wait", duration: { days: 5 }, next: "end" },
        email("short", { require_approval: true }),
      ],
    });
    const now = new Date("2026-03-02T09:00:00Z");
    const ex = {
      execution_id: "pbx",
      created_at: now.toISOString(),
      finished_at: null,
      current_step_id: "w",
      snapshot,
    } as unknown as Execution;
    const rows = [
      { step_id: "a", status: "completed" },
      { step_id: "w", status: "waiting", wake_at: "2026-03-04T09:00:00.000Z" },
    ] as StepExecution[];
    const e = estimate(ex, rows, new Map([["short", 3_600_000]]), SAMPLE_ACCOUNT, now);
    // 2 days of wait, then the longer branch: 5 days (the short one is 1 hour).
    expect(e.estimated_completion_at).toBe("2026-03-09T09:00:00.000Z");
    expect(e.remaining_seconds).toBe(7 * 86_400);
  });
});
