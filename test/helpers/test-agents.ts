import { z } from "zod";
import type { AgentDeps } from "../../src/agents/deps.js";
import { defineAgent, type TaskHandler } from "../../src/graphs/agent.js";
import type { NodeFn } from "../../src/graphs/agent-graph.js";

/** Test-only agents that prove the graph kit; src ships no fake agent. */

export const effectCounts = new Map<string, number>();
export const gates = { blockThird: false, failSecond: false };
export const concurrency = { active: 0, max: 0 };

const step =
  (name: string): NodeFn =>
  async (ctx) => {
    ctx.progress({ phase: name, done: 1, total: 1 });
    return { scratch: { [`${name}_done`]: true } };
  };

function effectStep(deps: AgentDeps, name: string): NodeFn {
  return async (ctx) => {
    if (name === "third" && gates.blockThird) {
      // Stand still until the simulated crash aborts the run.
      await new Promise((_r, reject) =>
        ctx.config.signal?.addEventListener("abort", () => reject(new Error("aborted"))),
      );
    }
    if (name === "second" && gates.failSecond) throw new Error("second step exploded");
    await deps.effects.once(`test:${ctx.run_id}:${name}`, "test", async () => {
      effectCounts.set(`${ctx.run_id}:${name}`, (effectCounts.get(`${ctx.run_id}:${name}`) ?? 0) + 1);
      return { ok: true };
    });
    ctx.progress({ phase: name, done: name === "first" ? 1 : name === "second" ? 2 : 3, total: 3 });
    return { result: { [name]: "done" } };
  };
}

const ThreeStep = z.strictObject({ type: z.literal("three_step"), account_id: z.string().optional() });
const Echo = z.strictObject({
  type: z.literal("echo"),
  message: z.string().min(1),
  delay_ms: z.number().int().min(0).optional(),
});

const threeStep: TaskHandler<AgentDeps, typeof ThreeStep> = {
  schema: ThreeStep,
  description: "three nodes with side effects",
  build: (deps) => [
    ["first", effectStep(deps, "first")],
    ["second", effectStep(deps, "second")],
    ["third", effectStep(deps, "third")],
  ],
};

const echo: TaskHandler<AgentDeps, typeof Echo> = {
  schema: Echo,
  description: "echoes its message",
  build: () => async (ctx) => {
    concurrency.active++;
    concurrency.max = Math.max(concurrency.max, concurrency.active);
    try {
      if (ctx.task.delay_ms) await new Promise((r) => setTimeout(r, ctx.task.delay_ms));
    } finally {
      concurrency.active--;
    }
    return { result: { echo: ctx.task.message } };
  },
};

export const threeStepAgent = defineAgent<AgentDeps>({
  id: "test-three-step",
  name: "Three step",
  description: "test only",
  handlers: { three_step: threeStep, echo },
});

const Steps = z.strictObject({ type: z.literal("steps") });
const Burst = z.strictObject({ type: z.literal("burst"), reports: z.number().int().min(1) });

export const progressAgent = defineAgent<AgentDeps>({
  id: "test-progress",
  name: "Progress",
  description: "test only",
  handlers: {
    steps: {
      schema: Steps,
      description: "two plain steps",
      build: () => [
        ["a", step("a")],
        ["b", step("b")],
      ],
    } satisfies TaskHandler<AgentDeps, typeof Steps>,
    burst: {
      schema: Burst,
      description: "many progress reports in one phase, then one more phase",
      build: () => [
        [
          "count",
          async (ctx) => {
            // The total grows with what is done, as when a scan loads a book of unknown size.
            for (let i = 1; i <= ctx.task.reports; i++) ctx.progress({ phase: "count", done: i, total: i });
            return { scratch: { counted: ctx.task.reports } };
          },
        ],
        ["tail", step("tail")],
      ],
    } satisfies TaskHandler<AgentDeps, typeof Burst>,
  },
});

export const TEST_AGENTS = [threeStepAgent, progressAgent];
