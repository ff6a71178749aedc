import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import type { Runtime } from "../../../src/runtime.js";
import { fireJob } from "../../../src/scheduler/catch-up.js";
import { type Scheduler, startScheduler } from "../../../src/scheduler/index.js";
import type { JobSpec } from "../../../src/scheduler/job.js";
import { scheduledRunId } from "../../../src/scheduler/jobs/agent-scan.js";
import { contractCheckJob, HEALTH_JOBS, healthScanJob } from "../../../src/scheduler/jobs/health.js";
import { JOBS } from "../../../src/scheduler/jobs/index.js";
import { csRuntime } from "../../agents/customer-success/helpers.js";
import { auth, eventually, KEYS, makeApp } from "../../helpers/runtime.js";

const ON = { SCHEDULER_ENABLED: "true" };

describe("scheduled health scans", () => {
  let runtime: Runtime | undefined;
  let scheduler: Scheduler | undefined;
  afterEach(async () => {
    scheduler?.stop();
    scheduler = undefined;
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  const setLast = (rt: Runtime, name: string, at: string) =>
    rt.store.db
      .insertInto("scheduler_jobs")
      .values({ name, last_scheduled_at: at, last_started_at: at, last_finished_at: at, last_error: null })
      .onConflict((oc) => oc.column("name").doUpdateSet({ last_scheduled_at: at }))
      .execute();

  it("are registered as health_scan (07:00) and contract_check (08:00), protected, in the configured time zone", async () => {
    expect(JOBS.map((j) => j.name)).toEqual(expect.arrayContaining(["health_scan", "contract_check"]));
    runtime = await csRuntime({ env: { ...ON, SCHEDULER_TIMEZONE: "Europe/Berlin" } });
    scheduler = startScheduler(runtime, HEALTH_JOBS);
    const health = scheduler.jobs.find((j) => j.name === "health_scan")!.cron;
    const contract = scheduler.jobs.find((j) => j.name === "contract_check")!.cron;
    expect(health.getPattern()).toBe("0 7 * * *");
    expect(health.options).toMatchObject({ protect: true, timezone: "Europe/Berlin" });
    // 07:00 in Berlin is 06:00 UTC in winter, 05:00 UTC in summer.
    expect(health.nextRuns(2, "2026-03-27T12:00:00Z").map((d) => d.toISOString())).toEqual([
      "2026-03-28T06:00:00.000Z",
      "2026-03-29T05:00:00.000Z",
    ]);
    expect(contract.nextRun("2026-01-10T00:00:00Z")?.toISOString()).toBe("2026-01-10T07:00:00.000Z");
  });

  it("take their cron strings from config, and each can be switched off", async () => {
    runtime = await csRuntime({
      env: { ...ON, CRON_HEALTH_SCAN: "15 6 * * 1-5", JOBS_DISABLED: "contract_check" },
    });
    scheduler = startScheduler(runtime, HEALTH_JOBS);
    expect(scheduler.jobs.map((j) => j.name)).toEqual(["health_scan"]);
    expect(scheduler.jobs[0]!.cron.getPattern()).toBe("15 6 * * 1-5");
  });

  it("dispatch through the run manager (visible in runs) with a run id per scheduled instant", async () => {
    runtime = await csRuntime();
    const at = new Date("2026-03-11T07:00:00Z");
    const runId = await healthScanJob.run(runtime, { scheduledAt: at, madeUp: false });
    expect(runId).toBe(scheduledRunId("health_scan", at));
    const run = await runtime.runs.waitFor(String(runId), 20_000);
    expect(run).toMatchObject({
      status: "succeeded",
      caller: "scheduler:health_scan",
      input: { type: "health_scan" },
    });
    expect((await runtime.runs.list({ agent_id: "customer-success" })).map((r) => r.run_id)).toContain(runId);

    const contractAt = new Date("2026-03-11T08:00:00Z");
    const contractRun = await runtime.runs.waitFor(
      String(await contractCheckJob.run(runtime, { scheduledAt: contractAt, madeUp: false })),
      20_000,
    );
    expect(contractRun.input).toEqual({ type: "health_scan", renewal_within_days: 60 });
    const scanned = (contractRun.result as { scanned: number }).scanned;
    expect(scanned).toBeGreaterThan(0);
    expect(scanned).toBeLessThan(60);
  });

  it("make up a run missed while the service was down, once, if it is within the last hour", async () => {
    const clock = new ManualClock("2026-03-11T07:40:00Z");
    runtime = await csRuntime({ clock, env: ON });
    await setLast(runtime, "health_scan", "2026-03-10T07:00:00.000Z");
    await setLast(runtime, "contract_check", "2026-03-10T08:00:00.000Z");
    scheduler = startScheduler(runtime, HEALTH_JOBS);
    // contract_check's last instant (yesterday 08:00) ran; only health_scan's 07:00 was missed.
    expect(await scheduler.madeUp).toEqual(["health_scan"]);
    const runId = scheduledRunId("health_scan", new Date("2026-03-11T07:00:00Z"));
    const run = await runtime.runs.waitFor(runId, 20_000);
    expect(run.status).toBe("succeeded");

    // A second start (say, a quick restart) does not make it up again.
    scheduler.stop();
    scheduler = startScheduler(runtime, HEALTH_JOBS);
    expect(await scheduler.madeUp).toEqual([]);
    const scheduled = await runtime.runs.list({ agent_id: "customer-success" });
    expect(scheduled.filter((r) => r.caller === "scheduler:health_scan")).toHaveLength(1);
  });

  it("do not make up a run missed more than an hour ago, nor on the very first start", async () => {
    const clock = new ManualClock("2026-03-11T08:30:00Z");
    runtime = await csRuntime({ clock, env: ON });
    await setLast(runtime, "health_scan", "2026-03-10T07:00:00.000Z");
    scheduler = startScheduler(runtime, HEALTH_JOBS);
    // health_scan: 07:00 is 90 minutes ago; contract_check: never seen, 08:00 is its starting point.
    expect(await scheduler.madeUp).toEqual([]);
    const state = await runtime.store.db.selectFrom("scheduler_jobs").selectAll().orderBy("name").execute();
    expect(state.map((s) => [s.name, s.last_scheduled_at])).toEqual([
      ["contract_check", "2026-03-11T08:00:00.000Z"],
      ["health_scan", "2026-03-10T07:00:00.000Z"],
    ]);
    expect(await runtime.runs.list({})).toEqual([]);
  });

  it("run a scheduled instant at most once, and log and publish a failing job", async () => {
    runtime = await csRuntime();
    let runs = 0;
    const failing: JobSpec = {
      name: "always_fails",
      cron: "0 * * * *",
      run: async () => {
        runs++;
        throw new Error("boom");
      },
    };
    const fire = { scheduledAt: new Date("2026-03-11T07:00:00Z"), madeUp: false };
    expect(await fireJob(runtime, failing, fire)).toBe(true);
    expect(await fireJob(runtime, failing, fire)).toBe(false);
    expect(runs).toBe(1);
    const failed = (await eventually(async () => {
      const events = await runtime!.bus.replay({ types: ["scheduler.job_failed"] });
      return events.length > 0 ? events : null;
    }))!;
    expect(failed[0]!.payload).toEqual({ job: "always_fails", error: "boom" });
    const state = await runtime.store.db
      .selectFrom("scheduler_jobs")
      .selectAll()
      .where("name", "=", "always_fails")
      .executeTakeFirstOrThrow();
    expect(state.last_error).toBe("boom");
  });

  it("do not start a scheduled scan while the previous one of that job is still running", async () => {
    runtime = await csRuntime();
    const first = await healthScanJob.run(runtime, {
      scheduledAt: new Date("2026-03-11T07:00:00Z"),
      madeUp: false,
    });
    const second = await healthScanJob.run(runtime, {
      scheduledAt: new Date("2026-03-11T07:05:00Z"),
      madeUp: false,
    });
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    await runtime.runs.waitFor(String(first), 20_000);
  });

  it("on each tick of the cron, dispatch the scan for that instant once; the run shows in /v1/runs and the event log", async () => {
    // 06:59:30 in Berlin (CET, UTC+1): the 07:00 scan is half a minute away.
    const clock = new ManualClock("2026-03-11T05:59:30Z");
    runtime = await csRuntime({
      clock,
      env: { ...ON, SCHEDULER_TIMEZONE: "Europe/Berlin", JOBS_DISABLED: "contract_check" },
    });
    scheduler = startScheduler(runtime, HEALTH_JOBS);
    expect(await scheduler.madeUp).toEqual([]);
    const cron = scheduler.jobs.find((j) => j.name === "health_scan")!.cron;

    // croner fires the callback at 07:00:00 local; the job judges the instant by the service clock.
    clock.set("2026-03-11T06:00:00.300Z");
    await cron.trigger();
    const runId = scheduledRunId("health_scan", new Date("2026-03-11T06:00:00Z"));
    const run = await runtime.runs.waitFor(runId, 20_000);
    expect(run).toMatchObject({ status: "succeeded", caller: "scheduler:health_scan" });
    // A second tick for the same instant (two replicas, a clock step back) starts nothing.
    clock.set("2026-03-11T06:00:40Z");
    await cron.trigger();
    await runtime.bus.idle();
    expect((await runtime.runs.list({ agent_id: "customer-success" })).map((r) => r.run_id)).toEqual([runId]);

    const app = await makeApp(runtime);
    try {
      const listed = await app.inject({
        url: "/v1/runs?agent_id=customer-success",
        headers: auth(KEYS.reader),
      });
      expect(listed.statusCode).toBe(200);
      expect(listed.json().runs).toEqual([
        expect.objectContaining({ run_id: runId, caller: "scheduler:health_scan", status: "succeeded" }),
      ]);
      const events = await app.inject({
        url: "/v1/events?types=run.started,run.progress,run.finished",
        headers: auth(KEYS.reader),
      });
      const ofRun = (events.json().events as Array<{ type: string; run_id?: string }>).filter(
        (e) => e.run_id === runId,
      );
      expect(ofRun[0]!.type).toBe("run.started");
      expect(ofRun.some((e) => e.type === "run.progress")).toBe(true);
      expect(ofRun.at(-1)!.type).toBe("run.finished");
    } finally {
      await app.close();
    }
  });
});
