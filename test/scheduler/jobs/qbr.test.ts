import { afterEach, describe, expect, it } from "vitest";
import type { RecordsPort } from "../../../src/adapters/records/port.js";
import { ManualClock } from "../../../src/clock.js";
import type { Runtime } from "../../../src/runtime.js";
import { type Scheduler, startScheduler } from "../../../src/scheduler/index.js";
import { JOBS } from "../../../src/scheduler/jobs/index.js";
import {
  contractMarkerKey,
  QBR_JOBS,
  qbrContractCheckJob,
  quarterlyQbrJob,
  runContractQbrCheck,
  runQuarterlyQbrs,
} from "../../../src/scheduler/jobs/qbr.js";
import { qbrRows, qbrRuntime } from "../../agents/qbr/helpers.js";

const SMALL_BOOK = { DEMO_BOOK_ACCOUNTS: "10" };

async function setRenewal(rt: Runtime, id: string, date: string): Promise<void> {
  const row = await rt.store.db
    .selectFrom("accounts")
    .select("data")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  await rt.store.db
    .updateTable("accounts")
    .set({ renewal_date: date, data: JSON.stringify({ ...JSON.parse(row.data), renewal_date: date }) })
    .where("id", "=", id)
    .execute();
}

async function activeIds(rt: Runtime): Promise<string[]> {
  const rows = await rt.store.db
    .selectFrom("accounts")
    .select("id")
    .where("status", "=", "Active")
    .orderBy("id")
    .execute();
  return rows.map((r) => r.id);
}

/** Swap the records port of a started runtime (the demo book is already loaded through the real one). */
function wrapRecords(rt: Runtime, wrap: (inner: RecordsPort) => Partial<RecordsPort>): void {
  const inner = rt.records;
  const overrides = wrap(inner);
  (rt as { records: RecordsPort }).records = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop in overrides) return overrides[prop as keyof RecordsPort];
      const v = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

describe("QBR jobs", () => {
  let runtime: Runtime | undefined;
  let scheduler: Scheduler | undefined;
  afterEach(async () => {
    scheduler?.stop();
    scheduler = undefined;
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  it("are registered; the quarterly cron fires at 06:00 on the four quarter starts in the configured time zone", async () => {
    expect(JOBS.map((j) => j.name)).toEqual(expect.arrayContaining(["quarterly_qbr", "qbr_contract_check"]));
    runtime = await qbrRuntime({
      start: false,
      env: { SCHEDULER_ENABLED: "true", SCHEDULER_TIMEZONE: "America/New_York", DEMO_BOOK: "false" },
    });
    await runtime.start();
    scheduler = startScheduler(runtime, QBR_JOBS);
    const quarterly = scheduler.jobs.find((j) => j.name === "quarterly_qbr")!.cron;
    expect(quarterly.getPattern()).toBe("0 6 1 1,4,7,10 *");
    expect(quarterly.options).toMatchObject({ protect: true, timezone: "America/New_York" });
    // 06:00 in New York: 11:00 UTC in winter (EST), 10:00 UTC in summer (EDT).
    expect(quarterly.nextRuns(5, new Date("2026-11-15T00:00:00Z")).map((d) => d.toISOString())).toEqual([
      "2027-01-01T11:00:00.000Z",
      "2027-04-01T10:00:00.000Z",
      "2027-07-01T10:00:00.000Z",
      "2027-10-01T10:00:00.000Z",
      "2028-01-01T11:00:00.000Z",
    ]);
    const contract = scheduler.jobs.find((j) => j.name === "qbr_contract_check")!.cron;
    expect(contract.nextRuns(2, new Date("2026-11-15T00:00:00Z")).map((d) => d.toISOString())).toEqual([
      "2026-11-15T13:15:00.000Z",
      "2026-11-16T13:15:00.000Z",
    ]);
    expect(quarterlyQbrJob.name).toBe("quarterly_qbr");
    expect(qbrContractCheckJob.name).toBe("qbr_contract_check");
  });

  it("the quarterly job writes a QBR of the quarter just ended for every Active account, with progress, and never twice", async () => {
    const clock = new ManualClock("2027-01-01T06:00:00Z");
    runtime = await qbrRuntime({ clock, env: SMALL_BOOK });
    const active = await activeIds(runtime);
    expect(active.length).toBeGreaterThan(3);
    const fire = { scheduledAt: new Date("2027-01-01T06:00:00Z"), madeUp: false };
    const summary = await runQuarterlyQbrs(runtime, fire);
    expect(summary).toMatchObject({
      period: "Q4 2026",
      total: active.length,
      succeeded: active.length,
      failed: 0,
    });
    const rows = await qbrRows(runtime);
    expect(rows.map((r) => r.account_id).sort()).toEqual(active);
    for (const r of rows)
      expect(JSON.parse(r.data)).toMatchObject({ quarter: "Q4 2026", trigger: "quarterly" });
    const progress = await runtime.bus.replay({ types: ["scheduler.job_progress"] });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)!.payload).toEqual({
      job: "quarterly_qbr",
      done: active.length,
      total: active.length,
      failed: 0,
    });

    // Fired again for the same instant (a retry, a second replica): the same runs, no new QBR.
    const runsBefore = (await runtime.runs.list({ agent_id: "customer-success", limit: 1000 })).length;
    await quarterlyQbrJob.run(runtime, fire);
    expect((await runtime.runs.list({ agent_id: "customer-success", limit: 1000 })).length).toBe(runsBefore);
    expect(await qbrRows(runtime)).toHaveLength(active.length);
  });

  it("one account's failure never stops the job, and runs stay within the configured concurrency", async () => {
    runtime = await qbrRuntime({
      clock: new ManualClock("2026-04-01T06:00:00Z"),
      env: { ...SMALL_BOOK, QBR_JOB_CONCURRENCY: "2" },
    });
    const active = await activeIds(runtime);
    const broken = active[1]!;
    let inFlight = 0;
    let peak = 0;
    wrapRecords(runtime, (inner) => ({
      async getAccount(id: string) {
        inFlight++;
        peak = Math.max(peak, inFlight);
        try {
          await new Promise((r) => setTimeout(r, 15));
          if (id === broken) throw new Error("records unavailable for this account");
          return inner.getAccount(id);
        } finally {
          inFlight--;
        }
      },
    }));
    const summary = await runQuarterlyQbrs(runtime);
    expect(summary).toMatchObject({
      period: "Q1 2026",
      total: active.length,
      succeeded: active.length - 1,
      failed: 1,
    });
    expect(summary.failures).toEqual([{ account_id: broken, error: "records unavailable for this account" }]);
    expect(peak).toBe(2);
    expect((await qbrRows(runtime)).map((r) => r.account_id).sort()).toEqual(
      active.filter((id) => id !== broken),
    );
  });

  it("the daily contract check on five consecutive days around the 90-day mark creates one QBR", async () => {
    const clock = new ManualClock("2026-11-18T08:15:00Z");
    runtime = await qbrRuntime({ clock, env: SMALL_BOOK });
    const [target, ...others] = await activeIds(runtime);
    for (const id of others) await setRenewal(runtime, id, "2099-01-01");
    // 90 days before 2027-02-18 is 2026-11-20: the check runs on the 18th to the 22nd.
    await setRenewal(runtime, target!, "2027-02-18");
    const due: number[] = [];
    for (let day = 0; day < 5; day++) {
      const s = await runContractQbrCheck(runtime);
      due.push(s.total);
      clock.advance(86_400_000);
    }
    expect(due).toEqual([0, 0, 1, 1, 1]);
    const rows = await qbrRows(runtime, target);
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.data)).toMatchObject({ trigger: "contract_proximity", quarter: "Q3 2026" });
    expect(await runtime.effects.get(contractMarkerKey(target!, "2027-02-18"))).toMatchObject({
      day: "2026-11-20",
    });
    expect(await qbrRows(runtime)).toHaveLength(1);
  });

  it("makes up a missed day, and tries a failed renewal again the next day", async () => {
    const clock = new ManualClock("2026-11-19T08:15:00Z");
    runtime = await qbrRuntime({ clock, env: SMALL_BOOK });
    const [missed, flaky, ...others] = await activeIds(runtime);
    for (const id of others) await setRenewal(runtime, id, "2099-01-01");
    await setRenewal(runtime, missed!, "2027-02-18"); // 90 days on 2026-11-20
    await setRenewal(runtime, flaky!, "2027-02-19"); // 90 days on 2026-11-21
    let failOnce = true;
    wrapRecords(runtime, (inner) => ({
      async getAccount(id: string) {
        if (id === flaky && failOnce) {
          failOnce = false;
          throw new Error("records timed out");
        }
        return inner.getAccount(id);
      },
    }));
    // The service was down on the 20th; the 21st makes up the missed account and fails the flaky one.
    clock.set("2026-11-21T08:15:00Z");
    const first = await runContractQbrCheck(runtime);
    expect(first).toMatchObject({ total: 2, succeeded: 1, failed: 1 });
    expect(first.failures[0]).toMatchObject({ account_id: flaky, error: "records timed out" });
    clock.set("2026-11-22T08:15:00Z");
    const second = await runContractQbrCheck(runtime);
    expect(second).toMatchObject({ total: 2, succeeded: 1, skipped: 1, failed: 0 });
    expect(await qbrRows(runtime, missed)).toHaveLength(1);
    expect(await qbrRows(runtime, flaky)).toHaveLength(1);
  });
});
