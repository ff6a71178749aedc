import { z } from "zod";
import type { AgentDeps } from "../../src/agents/deps.js";
import type { AgentDefinition } from "../../src/graphs/agent.js";
import { buildAgentGraph, type NodeFn } from "../../src/graphs/agent-graph.js";

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

export const threeStepAgent: AgentDefinition<AgentDeps> = {
  id: "test-three-step",
  name: "Three step",
  description: "test only",
  tasks: [
    { type: "three_step", description: "three nodes with side effects" },
    { type: "echo", description: "echoes its message" },
  ],
  taskSchema: z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("three_step"), account_id: z.string().optional() }),
    z.strictObject({
      type: z.literal("echo"),
      message: z.string().min(1),
      delay_ms: z.number().int().min(0).optional(),
    }),
  ]),
  buildGraph(deps, checkpointer) {
    return buildAgentGraph({
      agentId: "test-three-step",
      checkpointer,
      handlers: {
        three_step: [
          ["first", effectStep(deps, "first")],
          ["second", effectStep(deps, "second")],
          ["third", effectStep(deps, "third")],
        ],
        echo: async (ctx) => {
          const t = ctx.task as unknown as { message: string; delay_ms?: number };
          concurrency.active++;
          concurrency.max = Math.max(concurrency.max, concurrency.active);
          try {
            if (t.delay_ms) await new Promise((r) => setTimeout(r, t.delay_ms));
          } finally {
            concurrency.active--;
          }
          return { result: { echo: t.message } };
        },
      },
    });
  },
};

export const progressAgent: AgentDefinition<AgentDeps> = {
  id: "test-progress",
  name: "Progress",
  description: "test only",
  tasks: [
    { type: "steps", description: "two plain steps" },
    { type: "burst", description: "many progress reports in one phase, then one more phase" },
  ],
  taskSchema: z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("steps") }),
    z.strictObject({ type: z.literal("burst"), reports: z.number().int().min(1) }),
  ]),
  buildGraph(_deps, checkpointer) {
    return buildAgentGraph({
      agentId: "test-progress",
      checkpointer,
      handlers: {
        steps: [
          ["a", step("a")],
          ["b", step("b")],
        ],
        burst: [
          [
            "count",
            async (ctx) => {
              const reports = (ctx.task as unknown as { reports: number }).reports;
              // The total grows with what is done, as when a scan loads a book of unknown size.
              for (let i = 1; i <= reports; i++) ctx.progress({ phase: "count", done: i, total: i });
              return { scratch: { counted: reports } };
            },
          ],
          ["tail", step("tail")],
        ],
      },
    });
  },
};

export const TEST_AGENTS = [threeStepAgent, progressAgent];
