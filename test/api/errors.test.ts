import { describe, expect, test } from "../helpers/fixture.js";
import { auth } from "../helpers/runtime.js";

describe("internal errors", () => {
  test("answers 5xx without internals (no SQL, no stack)", async ({ app, runtime }) => {
    await runtime.store.db.schema.dropTable("outbox_drafts").execute();
    const res = await app.inject({ url: "/v1/drafts", headers: auth() });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: "internal", message: "internal error" } });
  });
});
