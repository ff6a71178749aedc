import { describe, expect, test } from "../helpers/fixture.js";
import { API_TEST_OPTIONS, dispatch } from "./helpers.js";

test.override("runtimeOptions", API_TEST_OPTIONS);

describe("HTTP app", () => {
  test("serves the OpenAPI document at /docs", async ({ app }) => {
    const res = await app.inject("/docs/json");
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toContain("/v1/agents/{agent_id}/tasks");
  });

  test("413 for an oversized body", async ({ app }) => {
    const res = await dispatch(app, { type: "echo", message: "x".repeat(5000) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe("payload_too_large");
  });
});
