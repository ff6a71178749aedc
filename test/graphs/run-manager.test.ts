import { afterEach, describe, expect, it } from "vitest";
import type { Runtime } from "../../src/runtime.js";
import { eventually, makeRuntime, tempDataDir } from "../helpers/runtime.js";
import { concurrency, effectCounts, gates, TEST_AGENTS } from "../helpers/test-agents.js";

describe("graph kit and run manager", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    gates.blockThird = false;
    gates.failSecond = false;
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  it("routes by task type, runs the handler's nodes in order, and records the result", async () => {
    runtime = await makeRuntime({ agents: TEST_AGENTS });
    const run = await runtime.runs.dispatchAndWait({
      agent_id: "test-three-step",
      task: { type: "three_step" },
    });
    expect(run.status).toBe("succeeded");
    expect(run.result).toEqual({ task_type: "three_step", first: "done", second: "done", third: "done" });
    const echo = await runtime.runs.dispatchAndWait({
      agent_id: "test-three-step",
      task: { type: "echo", message: "hi" },
    });
    expect(echo.result).toEqual({ task_type: "echo", echo: "hi" });
  });

  it("is fail-open: a failing node ends the run partial with what finished before it", async () => {
    runtime = await makeRuntime({ agents: TEST_AGENTS });
    gates.failSecond = true;
    const run = await runtime.runs.dispatchAndWait({
      agent_id: "test-three-step",
      task: { type: "three_step" },
    });
    expect(run.status).toBe("partial");
    expect(run.result).toMatchObject({
      task_type: "three_step",
      first: "done",
      error: "second step exploded",
      confidence: "low",
      partial: true,
    });
    expect(run.result).not.toHaveProperty("third");
  });

  it("throttles progress: each phase's first and last figures, few in between", async () => {
    runtime = await makeRuntime({ agents: TEST_AGENTS });
    const started = Date.now();
    const run = await runtime.runs.dispatchAndWait({
      agent_id: "test-progress",
      task: { type: "burst", reports: 5000 },
    });
    const seconds = Math.ceil((Date.now() - started) / 1000);
    expect(run.status).toBe("succeeded");
    const progress = (await runtime.bus.replay({ since: 0, run_id: run.run_id }))
      .filter((e) => e.type === "run.progress")
      .map((e) => e.payload as { phase: string; done: number; total: number });
    const count = progress.filter((p) => p.phase === "count");
    expect(count[0]).toMatchObject({ done: 1, total: 1 });
    // The report held back when the phase ended is sent before the next phase's first.
    expect(count.at(-1)).toMatchObject({ done: 5000, total: 5000 });
    expect(count.length).toBeLessThan(5000);
    // At most 4 a second after the first, plus the last.
    expect(count.length).toBeLessThanOrEqual(2 + 4 * seconds);
    expect(progress.at(-1)).toMatchObject({ phase: "tail", done: 1, total: 1 });
    expect((await runtime.runs.get(run.run_id))!.progress).toMatchObject({ phase: "tail", done: 1 });
  });

  it("publishes run.started, run.progress and run.finished for a run", async () => {
    runtime = await makeRuntime({ agents: TEST_AGENTS });
    const run = await runtime.runs.dispatchAndWait({
      agent_id: "test-three-step",
      task: { type: "three_step" },
    });
    const events = await runtime.bus.replay({ since: 0, run_id: run.run_id });
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("run.started");
    expect(types.at(-1)).toBe("run.finished");
    expect(types.filter((t) => t === "run.progress").length).toBeGreaterThanOrEqual(1);
    const last = events.filter((e) => e.type === "run.progress").at(-1)!;
    expect(last.payload).toMatchObject({ done: 3, total: 3 });
  });

  it("links child runs to their parent", async () => {
    runtime = await makeRuntime({ agents: TEST_AGENTS });
    const parent = await runtime.runs.dispatchAndWait({ agent_id: "test-progress", task: { type: "steps" } });
    const child = await runtime.runs.dispatchAndWait({
      agent_id: "test-three-step",
      task: { type: "echo", message: "child" },
      parent_run_id: parent.run_id,
    });
    const children = await runtime.runs.children(parent.run_id);
    expect(children.map((c) => c.run_id)).toEqual([child.run_id]);
  });

  it("resumes at boot a run whose process died between nodes; each side effect happens once", async () => {
    const dataDir = tempDataDir();
    runtime = await makeRuntime({ agents: TEST_AGENTS, dataDir });
    gates.blockThird = true;
    const run = await runtime.runs.dispatch({ agent_id: "test-three-step", task: { type: "three_step" } });
    await eventually(() => effectCounts.get(`${run.run_id}:second`) === 1);
    // Node 2's checkpoint is written when the superstep ends; wait until node 3 is what comes next.
    await eventually(async () => {
      const snapshot = await runtime!.runs.checkpointer.getTuple({ configurable: { thread_id: run.run_id } });
      return JSON.stringify(snapshot?.checkpoint.channel_values ?? {}).includes('"second":"done"');
    });
    await runtime.crash();
    expect((await readRunStatus(dataDir, run.run_id)) ?? "").toBe("running");

    gates.blockThird = false;
    runtime = await makeRuntime({ agents: TEST_AGENTS, dataDir });
    const done = await runtime.runs.waitFor(run.run_id, 10_000);
    expect(done.status).toBe("succeeded");
    expect(done.result).toMatchObject({ first: "done", second: "done", third: "done" });
    for (const node of ["first", "second", "third"])
      expect(effectCounts.get(`${run.run_id}:${node}`)).toBe(1);
  });

  it("bounds the number of runs executing at once", async () => {
    runtime = await makeRuntime({ agents: TEST_AGENTS, env: { RUN_CONCURRENCY: "2" } });
    concurrency.max = 0;
    const runs = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        runtime!.runs.dispatchAndWait({
          agent_id: "test-three-step",
          task: { type: "echo", message: `m${i}`, delay_ms: 50 },
        }),
      ),
    );
    expect(runs.every((r) => r.status === "succeeded")).toBe(true);
    expect(concurrency.max).toBe(2);
  });
});

async function readRunStatus(dataDir: string, runId: string): Promise<string | undefined> {
  const { openStore } = await import("../../src/store/db.js");
  const store = await openStore(`${dataDir}/account-team.db`);
  try {
    return (await store.db.selectFrom("runs").select("status").where("id", "=", runId).executeTakeFirst())
      ?.status;
  } finally {
    await store.close();
  }
}
