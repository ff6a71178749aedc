import { describe, expect, test } from "./fixture.js";
import { auth } from "./runtime.js";

test.override("runtimeOptions", { env: { DEMO_BOOK: "true", DEMO_BOOK_ACCOUNTS: "12" } });

let first: unknown;
describe("fixture", () => {
  test("builds one runtime per file, with the file's options", async ({ runtime, app }) => {
    first = runtime;
    const res = await app.inject({ url: "/v1/accounts?limit=100", headers: auth() });
    expect(res.statusCode).toBe(200);
    expect(runtime.config.DEMO_BOOK_ACCOUNTS).toBe(12);
  });
  test("shares it between the file's tests", ({ runtime }) => {
    expect(runtime).toBe(first);
  });
});
