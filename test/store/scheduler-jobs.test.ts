import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore, type StoreHandle } from "../../src/store/db.js";
import { SchedulerJobs } from "../../src/store/scheduler-jobs.js";

describe("scheduler jobs store", () => {
  let store: StoreHandle;
  let jobs: SchedulerJobs;
  beforeEach(async () => {
    store = await openStore(":memory:");
    jobs = new SchedulerJobs(store.db);
  });
  afterEach(() => store.close());

  it("claims each scheduled instant once, and never one before the last claimed", async () => {
    expect(await jobs.lastScheduledAt("scan")).toBeNull();
    expect(await jobs.claim("scan", "2026-03-11T07:00:00.000Z", "2026-03-11T07:00:01.000Z")).toBe(true);
    expect(await jobs.claim("scan", "2026-03-11T07:00:00.000Z", "2026-03-11T07:00:02.000Z")).toBe(false);
    expect(await jobs.claim("scan", "2026-03-10T07:00:00.000Z", "2026-03-11T07:00:03.000Z")).toBe(false);
    expect(await jobs.claim("scan", "2026-03-12T07:00:00.000Z", "2026-03-12T07:00:01.000Z")).toBe(true);
    expect(await jobs.lastScheduledAt("scan")).toBe("2026-03-12T07:00:00.000Z");
  });

  it("records how the claimed run ended, and starts a new job's history without a run", async () => {
    await jobs.claim("scan", "2026-03-11T07:00:00.000Z", "2026-03-11T07:00:01.000Z");
    await jobs.finish("scan", "2026-03-11T07:05:00.000Z", "boom");
    await jobs.startHistory("tick", "2026-03-11T07:00:00.000Z");
    await jobs.startHistory("tick", "2026-03-11T08:00:00.000Z");
    const rows = await store.db.selectFrom("scheduler_jobs").selectAll().orderBy("name").execute();
    expect(rows).toEqual([
      {
        name: "scan",
        last_scheduled_at: "2026-03-11T07:00:00.000Z",
        last_started_at: "2026-03-11T07:00:01.000Z",
        last_finished_at: "2026-03-11T07:05:00.000Z",
        last_error: "boom",
      },
      {
        name: "tick",
        last_scheduled_at: "2026-03-11T07:00:00.000Z",
        last_started_at: null,
        last_finished_at: null,
        last_error: null,
      },
    ]);
  });
});
