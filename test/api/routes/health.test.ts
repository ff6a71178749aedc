import { describe, expect, test } from "../../helpers/fixture.js";
import { API_TEST_OPTIONS } from "../helpers.js";

test.override("runtimeOptions", API_TEST_OPTIONS);

describe("liveness and readiness", () => {
  test("serves /healthz and /readyz without a key", async ({ app }) => {
    expect((await app.inject("/healthz")).json()).toEqual({ status: "ok" });
    const ready = await app.inject("/readyz");
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.store.ok).toBe(true);
  });
});
