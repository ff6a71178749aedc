/** The daily TAM scan (07:30, CRON_TAM_SCAN) and the weekly expansion check (Monday 09:00, CRON_EXPANSION_SCAN). */
import { afterEach, describe, expect, it } from "vitest";
import { customerSuccessAgent } from "../../../src/agents/customer-success/index.js";
import { salesAgent } from "../../../src/agents/sales/index.js";
import { tamAgent } from "../../../src/agents/tam/index.js";
import { ManualClock } from "../../../src/clock.js";
import type { Runtime } from "../../../src/runtime.js";
import { type Scheduler, startScheduler } from "../../../src/scheduler/index.js";
import { scheduledRunId } from "../../../src/scheduler/jobs/agent-scan.js";
import { EXPANSION_JOBS, expansionScanJob } from "../../../src/scheduler/jobs/expansion.js";
import { JOBS } from "../../../src/scheduler/jobs/index.js";
import { TAM_JOBS, tamScanJob } from "../../../src/scheduler/jobs/tam.js";
import { loadRecords, makeAccount } from "../../agents/expansion/fixtures.js";
import { amberTickets, NOW } from "../../agents/tam/helpers.js";
import { makeRuntime } from "../../helpers/runtime.js";

const ON = { SCHEDULER_ENABLED: "true" };

describe("TAM and expansion jobs", () => {
  let runtime: Runtime | undefined;
  let scheduler: Scheduler | undefined;
  afterEach(async () => {
    scheduler?.stop();
    scheduler = undefined;
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  const jobsRuntime = (env: Record<string, string> = {}) =>
    makeRuntime({
      agents: [customerSuccessAgent, salesAgent, tamAgent],
      clock: new ManualClock(NOW),
      env: { ...ON, ...env },
    });

  it("run the TAM scan daily at 07:30 and the expansion check on Mondays at 09:00, in the configured time zone", async () => {
    expect(JOBS.map((j) => j.name)).toEqual(expect.arrayContaining(["tam_scan", "expansion_scan"]));
    runtime = await jobsRuntime({ SCHEDULER_TIMEZONE: "Europe/Berlin" });
    scheduler = startScheduler(runtime, [...TAM_JOBS, ...EXPANSION_JOBS]);
    const tam = scheduler.jobs.find((j) => j.name === "tam_scan")!.cron;
    const expansion = scheduler.jobs.find((j) => j.name === "expansion_scan")!.cron;
    expect(tam.getPattern()).toBe("30 7 * * *");
    expect(tam.options).toMatchObject({ protect: true, timezone: "Europe/Berlin" });
    // 07:30 in Berlin: 06:30 UTC in winter, 05:30 UTC after the switch to summer time.
    expect(tam.nextRuns(2, "2026-03-28T12:00:00Z").map((d) => d.toISOString())).toEqual([
      "2026-03-29T05:30:00.000Z",
      "2026-03-30T05:30:00.000Z",
    ]);
    expect(tam.nextRun("2026-03-10T12:00:00Z")?.toISOString()).toBe("2026-03-11T06:30:00.000Z");
    expect(expansion.getPattern()).toBe("0 9 * * 1");
    // 2026-03-11 is a Wednesday: the next Monday is the 16th.
    expect(expansion.nextRun("2026-03-11T12:00:00Z")?.toISOString()).toBe("2026-03-16T08:00:00.000Z");
  });

  it("take their schedules from CRON_TAM_SCAN and CRON_EXPANSION_SCAN, and each can be switched off", async () => {
    runtime = await jobsRuntime({ CRON_TAM_SCAN: "0 6 * * 1-5", CRON_EXPANSION_SCAN: "0 10 * * 3" });
    scheduler = startScheduler(runtime, [...TAM_JOBS, ...EXPANSION_JOBS]);
    expect(scheduler.jobs.map((j) => [j.name, j.cron.getPattern()])).toEqual([
      ["tam_scan", "0 6 * * 1-5"],
      ["expansion_scan", "0 10 * * 3"],
    ]);
    scheduler.stop();
    await runtime.close({ graceMs: 0 });
    runtime = await jobsRuntime({ JOBS_DISABLED: "tam_scan" });
    scheduler = startScheduler(runtime, [...TAM_JOBS, ...EXPANSION_JOBS]);
    expect(scheduler.jobs.map((j) => j.name)).toEqual(["expansion_scan"]);
  });

  it("dispatch a TAM health_scan and a Customer Success check_expansion through the run manager, once per instant", async () => {
    runtime = await jobsRuntime({ SCHEDULER_ENABLED: "false" });
    await loadRecords(runtime, [makeAccount({ id: "acc_1" })], amberTickets("acc_1"));
    const at = new Date("2026-03-11T07:30:00Z");
    const runId = await tamScanJob.run(runtime, { scheduledAt: at, madeUp: false });
    expect(runId).toBe(scheduledRunId("tam_scan", at));
    const run = await runtime.runs.waitFor(String(runId), 20_000);
    expect(run).toMatchObject({
      agent_id: "tam",
      status: "succeeded",
      caller: "scheduler:tam_scan",
      input: { type: "health_scan" },
    });
    expect((await runtime.records.getAccount("acc_1"))!.health_status).toBe("Amber");
    // The same instant fired twice starts no second run.
    expect(await tamScanJob.run(runtime, { scheduledAt: at, madeUp: false })).toBe(runId);
    expect(await runtime.runs.list({ agent_id: "tam" })).toHaveLength(1);

    const monday = new Date("2026-03-09T09:00:00Z");
    const expansionRun = await runtime.runs.waitFor(
      String(await expansionScanJob.run(runtime, { scheduledAt: monday, madeUp: false })),
      20_000,
    );
    expect(expansionRun).toMatchObject({
      agent_id: "customer-success",
      status: "succeeded",
      caller: "scheduler:expansion_scan",
      input: { type: "check_expansion" },
    });
  });
});
