import { afterEach, describe, expect, it } from "vitest";
import type { BusEvent } from "../../src/events/catalogue.js";
import type { Runtime } from "../../src/runtime.js";
import { eventually, makeRuntime, tempDataDir } from "../helpers/runtime.js";

const alert = (title: string) => ({
  source: "test",
  account_id: "acc_1",
  payload: { severity: "info" as const, title },
});

describe("event bus", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  it("writes the event to the log before delivering it, with monotonic seq", async () => {
    runtime = await makeRuntime();
    const seen: number[] = [];
    runtime.bus.subscribe({}, async (e) => {
      const row = await runtime!.store.db
        .selectFrom("events")
        .select("seq")
        .where("id", "=", e.id)
        .executeTakeFirst();
      seen.push(row ? e.seq : -1);
    });
    const a = await runtime.bus.publish("alert.raised", alert("a"));
    const b = await runtime.bus.publish("alert.raised", alert("b"));
    expect(b.seq).toBeGreaterThan(a.seq);
    await eventually(() => seen.length === 2);
    expect(seen).toEqual([a.seq, b.seq]);
  });

  it("rejects a payload that does not match the catalogue", async () => {
    runtime = await makeRuntime();
    await expect(
      // @ts-expect-error: severity is not one of the catalogue's values
      runtime.bus.publish("alert.raised", { source: "t", payload: { severity: "loud", title: "x" } }),
    ).rejects.toThrow();
    expect(await runtime.bus.lastSeq()).toBe(0);
  });

  it("isolates subscribers: one that throws (sync or async) does not stop the others", async () => {
    runtime = await makeRuntime();
    const got: string[] = [];
    runtime.bus.subscribe({}, () => {
      throw new Error("sync boom");
    });
    runtime.bus.subscribe({}, async () => {
      throw new Error("async boom");
    });
    runtime.bus.subscribe({}, (e) => {
      got.push((e as BusEvent<"alert.raised">).payload.title);
    });
    await runtime.bus.publish("alert.raised", alert("one"));
    await runtime.bus.publish("alert.raised", alert("two"));
    expect(got).toEqual(["one", "two"]);
  });

  it("filters in-process subscribers by type and account", async () => {
    runtime = await makeRuntime();
    const got: string[] = [];
    runtime.bus.subscribe({ types: ["alert.raised"], account_id: "acc_2" }, (e) => {
      got.push(e.type);
    });
    await runtime.bus.publish("alert.raised", alert("x"));
    await runtime.bus.publish("alert.raised", { ...alert("y"), account_id: "acc_2" });
    await runtime.bus.publish("draft.created", {
      source: "t",
      account_id: "acc_2",
      payload: { draft_id: "d", to: "a@b.c", subject: "s", kind: "k" },
    });
    expect(got).toEqual(["alert.raised"]);
  });

  it("a durable subscriber stopped mid-way receives, after restart, every unacknowledged event, in order", async () => {
    const dataDir = tempDataDir();
    const received: string[] = [];
    let stopAfter = 3;
    const register = (rt: Runtime) =>
      rt.bus.durable("test.sink", ["alert.raised"], async (e) => {
        if (stopAfter === 0) {
          // Simulates the process dying while this event is in hand: never acknowledged.
          await new Promise(() => {});
        }
        received.push((e as BusEvent<"alert.raised">).payload.title);
        stopAfter--;
      });

    runtime = await makeRuntime({ dataDir, start: false });
    register(runtime);
    await runtime.start();
    for (let i = 1; i <= 6; i++) await runtime.bus.publish("alert.raised", alert(`e${i}`));
    await eventually(() => received.length === 3);
    expect(received).toEqual(["e1", "e2", "e3"]);
    await runtime.crash();

    stopAfter = Number.POSITIVE_INFINITY;
    runtime = await makeRuntime({ dataDir, start: false });
    register(runtime);
    await runtime.start();
    await runtime.bus.publish("alert.raised", alert("e7"));
    await eventually(() => received.length === 7);
    await runtime.bus.idle();
    expect(received).toEqual(["e1", "e2", "e3", "e4", "e5", "e6", "e7"]);
  });

  it("retries a failing durable handler, then dead-letters the event and moves on", async () => {
    runtime = await makeRuntime({ start: false });
    const attempts: Record<string, number> = {};
    runtime.bus.durable("test.flaky", ["alert.raised"], async (e) => {
      const t = (e as BusEvent<"alert.raised">).payload.title;
      attempts[t] = (attempts[t] ?? 0) + 1;
      if (t === "poison") throw new Error("cannot handle");
      if (t === "flaky" && attempts[t]! < 2) throw new Error("transient");
    });
    await runtime.start();
    await runtime.bus.publish("alert.raised", alert("flaky"));
    await runtime.bus.publish("alert.raised", alert("poison"));
    await runtime.bus.publish("alert.raised", alert("after"));
    await eventually(() => attempts.after === 1);
    expect(attempts.flaky).toBe(2);
    expect(attempts.poison).toBe(4); // first try + 3 retries
    const dead = await runtime.store.db.selectFrom("dead_letters").selectAll().execute();
    expect(dead).toHaveLength(1);
    expect(dead[0]!.subscriber).toBe("test.flaky");
  });

  it("replays by seq with type and account filters", async () => {
    runtime = await makeRuntime();
    for (let i = 0; i < 5; i++) await runtime.bus.publish("alert.raised", alert(`r${i}`));
    const after2 = await runtime.bus.replay({ since: 2 });
    expect(after2.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(await runtime.bus.replay({ since: 0, types: ["draft.created"] })).toEqual([]);
  });
});
