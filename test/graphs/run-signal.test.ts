/**
 * LangGraph's stream() links the abort signal it is given and never unlinks it; the run manager's thread
 * runner gives each run its own signal so that finished runs leave nothing on the runner's long-lived one.
 */
import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import type { ThreadRunner } from "../../src/graphs/thread-runner.js";
import type { Runtime } from "../../src/runtime.js";
import { makeRuntime } from "../helpers/runtime.js";
import { TEST_AGENTS } from "../helpers/test-agents.js";

describe("run manager abort signal", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  it("finished runs leave no listener on the manager's shutdown signal", async () => {
    runtime = await makeRuntime({ agents: TEST_AGENTS });
    const signal = (runtime.runs as unknown as { runner: ThreadRunner }).runner.signal;
    const runs = await Promise.all(
      Array.from({ length: 12 }, () =>
        runtime!.runs.dispatchAndWait({ agent_id: "test-three-step", task: { type: "three_step" } }),
      ),
    );
    expect(runs.map((r) => r.status)).toEqual(Array(12).fill("succeeded"));
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });
});
