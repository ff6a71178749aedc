import { getEventListeners } from "node:events";
import { MemorySaver } from "@langchain/langgraph-checkpoint";
import { describe, expect, it } from "vitest";
import { ThreadRunner } from "../../src/graphs/thread-runner.js";

/** The run driver both the agent run manager and the playbook engine stand on. */

const runner = (concurrency = 2, onError?: (err: unknown, threadId: string) => void) =>
  new ThreadRunner({ concurrency, checkpointer: new MemorySaver(), ...(onError ? { onError } : {}) });

/** A promise with its resolve, to hold a turn open. */
function gate() {
  let open!: () => void;
  const closed = new Promise<void>((r) => {
    open = r;
  });
  return { closed, open };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("thread runner", () => {
  it("works at most `concurrency` threads at once; the others wait for a slot in order", async () => {
    const r = runner(2);
    let active = 0;
    let max = 0;
    const order: string[] = [];
    const work = (id: string) => async () => {
      active++;
      max = Math.max(max, active);
      order.push(id);
      await tick();
      active--;
    };
    await Promise.all(["a", "b", "c", "d", "e"].map((id) => r.run(id, work(id))));
    expect(max).toBe(2);
    expect(order).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("never overlaps two turns of one thread: a request while busy makes it go round once more", async () => {
    const r = runner(4);
    const g = gate();
    const turns: string[] = [];
    const first = r.run("t", async () => {
      turns.push("first");
      await g.closed;
    });
    expect(r.isBusy("t")).toBe(true);
    await tick();
    // Two requests while the first turn is in flight: one more turn, with the latest work.
    const second = r.run("t", async () => {
      turns.push("second");
    });
    const third = r.run("t", async () => {
      turns.push("third");
    });
    expect(second).toBe(first);
    expect(third).toBe(first);
    g.open();
    await first;
    expect(turns).toEqual(["first", "third"]);
    expect(r.isBusy("t")).toBe(false);
  });

  it("gives each turn a signal linked to the runner's, and unlinks it when the turn ends", async () => {
    const r = runner(4);
    const seen: AbortSignal[] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        r.run(`t${i}`, async (signal) => {
          seen.push(signal);
        }),
      ),
    );
    expect(new Set(seen).size).toBe(10);
    expect(getEventListeners(r.signal, "abort")).toHaveLength(0);

    const g = gate();
    let inFlight: AbortSignal | undefined;
    const p = r.run("long", async (signal) => {
      inFlight = signal;
      await g.closed;
    });
    await tick();
    r.abortAll();
    expect(inFlight?.aborted).toBe(true);
    g.open();
    await p;
  });

  it("reports what a turn throws, unless the runner was aborted", async () => {
    const errors: Array<[string, string]> = [];
    const r = runner(1, (err, id) => errors.push([id, (err as Error).message]));
    await r.run("x", async () => {
      throw new Error("boom");
    });
    expect(errors).toEqual([["x", "boom"]]);
    const g = gate();
    const p = r.run("y", async (signal) => {
      await g.closed;
      if (signal.aborted) throw new Error("aborted");
    });
    r.abortAll();
    g.open();
    await p;
    expect(errors).toHaveLength(1);
  });

  it("a request made before the thread's turn began is that turn, with the latest work", async () => {
    const r = runner(1);
    const g = gate();
    const turns: string[] = [];
    const blocker = r.run("other", () => g.closed);
    const p = r.run("t", async () => {
      turns.push("first");
    });
    void r.run("t", async () => {
      turns.push("latest");
    });
    g.open();
    await Promise.all([blocker, p]);
    expect(turns).toEqual(["latest"]);
  });

  it("drain takes nothing new, drops work waiting for a slot, and lets in-flight turns finish", async () => {
    const r = runner(1);
    const g = gate();
    const ran: string[] = [];
    const a = r.run("a", async () => {
      await g.closed;
      ran.push("a");
    });
    const b = r.run("b", async () => {
      ran.push("b");
    });
    const drained = r.drain(5_000);
    expect(r.isAccepting).toBe(false);
    await r.run("c", async () => {
      ran.push("c");
    });
    g.open();
    await drained;
    await Promise.all([a, b]);
    expect(ran).toEqual(["a"]);
    expect(r.aborted).toBe(false);
    expect(r.isWorking).toBe(false);
  });

  it("drain aborts the turns still in flight after the grace period", async () => {
    const r = runner(1);
    let aborted = false;
    const p = r.run("slow", (signal) => {
      return new Promise<void>((resolve) => {
        signal.addEventListener("abort", () => {
          aborted = true;
          resolve();
        });
      });
    });
    await r.drain(10);
    await p;
    expect(aborted).toBe(true);
    expect(r.aborted).toBe(true);
  });

  it("idle resolves once no thread is being worked, including the extra rounds", async () => {
    const r = runner(2);
    const g = gate();
    let rounds = 0;
    void r.run("t", async () => {
      rounds++;
      await g.closed;
    });
    await tick();
    void r.run("t", async () => {
      rounds++;
    });
    const idle = r.idle();
    g.open();
    await idle;
    expect(rounds).toBe(2);
    expect(r.isWorking).toBe(false);
  });
});
