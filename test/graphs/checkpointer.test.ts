import { Annotation, Command, END, interrupt, MemorySaver, START, StateGraph } from "@langchain/langgraph";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { afterEach, describe, expect, it } from "vitest";
import { createCheckpointer, pruneThread } from "../../src/graphs/checkpointer.js";

/** A graph that suspends twice, so a finished thread has a history of checkpoints to prune. */
function twoStops(checkpointer: BaseCheckpointSaver) {
  const State = Annotation.Root({ n: Annotation<number>({ reducer: (_a, b) => b, default: () => 0 }) });
  return new StateGraph(State)
    .addNode("one", () => {
      interrupt("one");
      return { n: 1 };
    })
    .addNode("two", () => {
      interrupt("two");
      return { n: 2 };
    })
    .addEdge(START, "one")
    .addEdge("one", "two")
    .addEdge("two", END)
    .compile({ checkpointer });
}

async function finishThread(checkpointer: BaseCheckpointSaver, threadId: string) {
  const graph = twoStops(checkpointer);
  const config = { configurable: { thread_id: threadId } };
  await graph.invoke({ n: 0 }, config);
  await graph.invoke(new Command({ resume: true }), config);
  await graph.invoke(new Command({ resume: true }), config);
  return graph;
}

async function countCheckpoints(checkpointer: BaseCheckpointSaver, threadId: string) {
  let n = 0;
  for await (const _ of checkpointer.list({ configurable: { thread_id: threadId } })) n++;
  return n;
}

describe("pruneThread", () => {
  let close: (() => void) | undefined;
  afterEach(() => close?.());

  it("keeps only the newest checkpoint of a SQLite thread; its final state stays readable", async () => {
    const cp = createCheckpointer(":memory:");
    close = cp.close;
    const graph = await finishThread(cp.saver, "done");
    await finishThread(cp.saver, "other");
    expect(await countCheckpoints(cp.saver, "done")).toBeGreaterThan(1);

    await pruneThread(cp.saver, "done");
    expect(await countCheckpoints(cp.saver, "done")).toBe(1);
    const state = await graph.getState({ configurable: { thread_id: "done" } });
    expect(state.values).toEqual({ n: 2 });
    expect(state.next).toEqual([]);
    // Other threads are left alone.
    expect(await countCheckpoints(cp.saver, "other")).toBeGreaterThan(1);
  });

  it("does nothing to a thread with no checkpoint", async () => {
    const cp = createCheckpointer(":memory:");
    close = cp.close;
    await pruneThread(cp.saver, "nothing");
    expect(await countCheckpoints(cp.saver, "nothing")).toBe(0);
  });

  it("drops the whole thread on a saver it cannot prune row by row", async () => {
    const saver = new MemorySaver();
    await finishThread(saver, "mem");
    await pruneThread(saver, "mem");
    expect(await countCheckpoints(saver, "mem")).toBe(0);
  });
});
