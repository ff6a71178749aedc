import { afterEach, describe, expect, it } from "vitest";
import { handoffRunId } from "../../../../src/agents/shared/handoff.js";
import type { Runtime } from "../../../../src/runtime.js";
import { auth, eventually, makeApp } from "../../../helpers/runtime.js";
import { eventsOf, loadRecords, makeAccount, makeTicket } from "../../expansion/fixtures.js";
import { finished, salesRuntime } from "../helpers.js";

describe("Sales: dispatch_tam_health_check", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  it("hands a TAM health_scan through the bus and returns its run id, a child of the Sales run", async () => {
    runtime = await salesRuntime();
    await loadRecords(
      runtime,
      [makeAccount({ id: "acc_1" })],
      [makeTicket("acc_1", "P1", 120), makeTicket("acc_1", "P2", 100)],
    );
    const sales = await runtime.runs.dispatchAndWait({
      agent_id: "sales",
      task: { type: "dispatch_tam_health_check", account_id: "acc_1", reason: "customer mentioned outages" },
    });
    expect(sales.status).toBe("succeeded");
    const tamRunId = String(sales.result!.tam_run_id);
    expect(tamRunId).toBe(handoffRunId("tam", String(sales.result!.handoff_event_id)));
    const tam = (await eventually(async () => finished(await runtime!.runs.get(tamRunId))))!;
    expect(tam).toMatchObject({
      agent_id: "tam",
      task_type: "health_scan",
      status: "succeeded",
      parent_run_id: sales.run_id,
    });
    expect(tam.result).toMatchObject({ scored: 1 });
    expect(await runtime.records.getAccount("acc_1")).toMatchObject({
      health_score: 60,
      health_status: "Amber",
    });

    const app = await makeApp(runtime);
    const res = await app.inject({ method: "GET", url: `/v1/runs/${sales.run_id}`, headers: auth() });
    expect(res.json().children).toEqual([
      { run_id: tamRunId, agent_id: "tam", task_type: "health_scan", status: "succeeded" },
    ]);
    await app.close();
  });

  it("fails for an unknown account without handing anything off", async () => {
    runtime = await salesRuntime();
    const run = await runtime.runs.dispatchAndWait({
      agent_id: "sales",
      task: { type: "dispatch_tam_health_check", account_id: "acc_missing", reason: "check" },
    });
    expect(run.status).toBe("failed");
    expect(run.error).toContain("acc_missing");
    expect(await eventsOf(runtime, "handoff.requested")).toHaveLength(0);
  });
});
