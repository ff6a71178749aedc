/**
 * LangGraph's stream() links the abort signal it is given and never unlinks it; the run manager's thread
 * runner gives each run its own signal so that finished runs leave nothing on the runner's long-lived one.
 */
import { getEventListeners } from "node:events";
import type { ThreadRunner } from "../../src/graphs/thread-runner.js";
import { describe, expect, test } from "../helpers/fixture.js";
import { TEST_AGENTS } from "../helpers/test-agents.js";

test.override("runtimeOptions", { agents: TEST_AGENTS });

describe("run manager abort signal", () => {
  test("finished runs leave no listener on the manager's shutdown signal", async ({ runtime }) => {
    const signal = (runtime.runs as unknown as { runner: ThreadRunner }).runner.signal;
    const runs = await Promise.all(
      Array.from({ length: 12 }, () =>
        runtime.runs.dispatchAndWait({ agent_id: "test-three-step", task: { type: "three_step" } }),
      ),
    );
    expect(runs.map((r) => r.status)).toEqual(Array(12).fill("succeeded"));
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });
});
