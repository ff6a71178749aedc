import { describe, expect, test } from "../../helpers/fixture.js";
import { auth, KEYS } from "../../helpers/runtime.js";
import { API_TEST_OPTIONS, collect, listenWs } from "../helpers.js";

test.override("runtimeOptions", API_TEST_OPTIONS);

describe("runs over a WebSocket", () => {
  test("streams a run: snapshot, progress, then the finish", async ({ app }) => {
    const base = await listenWs(app);
    const res = await app.inject({
      method: "POST",
      url: "/v1/agents/test-three-step/tasks",
      headers: auth(),
      payload: { type: "three_step" },
    });
    const { run_id } = res.json();
    const msgs = (await collect(
      `${base}/v1/runs/${run_id}/stream`,
      auth(KEYS.reader),
      () => false,
    )) as Array<{
      kind: string;
      event?: { type: string };
    }>;
    expect(msgs[0]!.kind).toBe("run");
    const types = msgs.slice(1).map((m) => m.event!.type);
    expect(types).toContain("run.progress");
    expect(types.at(-1)).toBe("run.finished");
  });
});
