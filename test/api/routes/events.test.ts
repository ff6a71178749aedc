import { describe, expect, test } from "../../helpers/fixture.js";
import { auth, KEYS } from "../../helpers/runtime.js";
import { API_TEST_OPTIONS } from "../helpers.js";

test.override("runtimeOptions", API_TEST_OPTIONS);

describe("the event log over HTTP", () => {
  test("paginates events by seq and rejects unknown event types", async ({ app, runtime }) => {
    for (let i = 0; i < 3; i++) {
      await runtime.bus.publish("alert.raised", {
        source: "t",
        payload: { severity: "info", title: `t${i}` },
      });
    }
    const page = await app.inject({ url: "/v1/events?since=1&limit=1", headers: auth(KEYS.reader) });
    expect(page.json().events.map((e: { seq: number }) => e.seq)).toEqual([2]);
    expect(page.json().next_since).toBe(2);
    const bad = await app.inject({ url: "/v1/events?types=nope.happened", headers: auth(KEYS.reader) });
    expect(bad.statusCode).toBe(400);
  });
});
