/** The event stream's WebSocket, in a file of its own: its seqs are those of a fresh event log. */
import { describe, expect, test } from "../../helpers/fixture.js";
import { auth, KEYS } from "../../helpers/runtime.js";
import { API_TEST_OPTIONS, collect, listenWs } from "../helpers.js";

test.override("runtimeOptions", API_TEST_OPTIONS);

describe("the event stream over a WebSocket", () => {
  test("a client reconnecting with since=N receives exactly the events after N", async ({ app, runtime }) => {
    const base = await listenWs(app);
    for (let i = 1; i <= 5; i++) {
      await runtime.bus.publish("alert.raised", {
        source: "t",
        payload: { severity: "info", title: `w${i}` },
      });
    }
    const msgs = collect(`${base}/v1/events/stream?since=3`, auth(KEYS.reader), (m) => m.length === 4);
    await new Promise((r) => setTimeout(r, 100));
    await runtime.bus.publish("alert.raised", { source: "t", payload: { severity: "info", title: "w6" } });
    await runtime.bus.publish("alert.raised", { source: "t", payload: { severity: "info", title: "w7" } });
    const seqs = (await msgs).map((m) => (m as { event: { seq: number } }).event.seq);
    expect(seqs).toEqual([4, 5, 6, 7]);
  });

  test("since=latest sends only the events published after the client connected", async ({
    app,
    runtime,
  }) => {
    const base = `ws://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const before = await runtime.bus.lastSeq();
    await runtime.bus.publish("alert.raised", { source: "t", payload: { severity: "info", title: "old" } });
    const msgs = collect(`${base}/v1/events/stream?since=latest`, auth(KEYS.reader), (m) => m.length === 1);
    await new Promise((r) => setTimeout(r, 100));
    await runtime.bus.publish("alert.raised", { source: "t", payload: { severity: "info", title: "new" } });
    const got = (await msgs) as { event: { seq: number; payload: { title: string } } }[];
    expect(got.map((m) => m.event.payload.title)).toEqual(["new"]);
    expect(got[0]!.event.seq).toBe(before + 2);
  });
});
