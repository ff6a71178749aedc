import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { ApiIdempotency } from "../../src/store/api-idempotency.js";
import { openStore, type StoreHandle } from "../../src/store/db.js";

describe("API idempotency keys", () => {
  let store: StoreHandle;
  let keys: ApiIdempotency;
  beforeEach(async () => {
    store = await openStore(":memory:");
    keys = new ApiIdempotency(store.db, new ManualClock("2026-03-11T07:00:00.000Z"));
  });
  afterEach(() => store.close());

  it("a key is claimed once per caller, keeps its answer once done, and can be given back", async () => {
    expect(await keys.claim("ops", "k1", "hash-a")).toBe(true);
    expect(await keys.claim("ops", "k1", "hash-b")).toBe(false);
    expect(await keys.claim("other", "k1", "hash-b")).toBe(true);
    expect(await keys.get("ops", "k1")).toEqual({
      request_hash: "hash-a",
      state: "in_flight",
      status_code: null,
      response: null,
    });
    await keys.complete("ops", "k1", 202, { run_id: "run_1" });
    expect(await keys.get("ops", "k1")).toEqual({
      request_hash: "hash-a",
      state: "done",
      status_code: 202,
      response: '{"run_id":"run_1"}',
    });
    await keys.release("other", "k1");
    expect(await keys.claim("other", "k1", "hash-c")).toBe(true);
  });
});
