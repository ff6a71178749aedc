import { MemorySaver } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineAgent, type TaskHandler } from "../../src/graphs/agent.js";
import { fromScratch, type NodeFn } from "../../src/graphs/agent-graph.js";

const Greet = z.strictObject({ type: z.literal("greet"), name: z.string().min(1) });
interface GreetScratch {
  greeting: string;
}

const greet: TaskHandler<unknown, typeof Greet, GreetScratch> = {
  schema: Greet,
  description: "greets by name",
  build: () => [
    ["compose", async (ctx) => ({ scratch: { greeting: `hello ${ctx.task.name}` } })],
    ["say", async (ctx) => ({ result: { said: fromScratch(ctx.scratch, "greeting") } })],
  ],
};
const echo: NodeFn = async (ctx) => ({ result: { echoed: ctx.task.type } });
const Echo = z.strictObject({ type: z.literal("echo") });

describe("defineAgent", () => {
  it("derives the task union, the listed task types and the graph from the handler table", async () => {
    const agent = defineAgent({
      id: "test-greeter",
      name: "Greeter",
      description: "test only",
      handlers: { greet, echo: { schema: Echo, description: "echoes", build: () => echo } },
    });
    expect(agent.tasks).toEqual([
      { type: "greet", description: "greets by name" },
      { type: "echo", description: "echoes" },
    ]);
    expect(agent.taskSchema.safeParse({ type: "greet", name: "Ada" }).success).toBe(true);
    expect(agent.taskSchema.safeParse({ type: "greet" }).success).toBe(false);
    expect(agent.taskSchema.safeParse({ type: "wave" }).success).toBe(false);
    expect(agent.subscribe).toBeUndefined();

    const graph = agent.buildGraph(undefined, new MemorySaver());
    const out = await graph.invoke(
      { task: { type: "greet", name: "Ada" }, run_id: "r1", parent_run_id: null },
      { configurable: { thread_id: "r1" } },
    );
    expect(out.final).toEqual({ task_type: "greet", said: "hello Ada" });
  });

  it("refuses a table key that disagrees with its schema's literal", () => {
    expect(() => defineAgent({ id: "bad", name: "Bad", description: "", handlers: { wave: greet } })).toThrow(
      /type: z.literal\("wave"\)/,
    );
  });

  it("hands subscribe the agent it defined", () => {
    const seen: unknown[] = [];
    const agent = defineAgent<string>({
      id: "test-sub",
      name: "Sub",
      description: "",
      handlers: { greet },
      subscribe: (deps, a) => seen.push(deps, a.id),
    });
    agent.subscribe?.("deps");
    expect(seen).toEqual(["deps", "test-sub"]);
  });
});

describe("fromScratch", () => {
  it("reads a field an earlier node left, and fails a node that runs before it", () => {
    expect(fromScratch<GreetScratch, "greeting">({ greeting: "hi" }, "greeting")).toBe("hi");
    expect(() => fromScratch<GreetScratch, "greeting">({}, "greeting")).toThrow(
      "greeting missing from the run's state",
    );
  });
});
