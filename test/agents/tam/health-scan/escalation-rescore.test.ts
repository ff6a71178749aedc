/**
 * The whole TAM -> Customer Success path with every agent registered: a TAM scan escalates, Customer
 * Success re-scores the account with the escalation counted (its health history shows it), and the
 * re-score is a child run of the TAM's (GET /v1/runs/:run_id lists it).
 */
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../../../src/clock.js";
import type { RunRecord } from "../../../../src/graphs/run-manager.js";
import type { Runtime } from "../../../../src/runtime.js";
import { auth, eventually, makeApp, makeRuntime } from "../../../helpers/runtime.js";
import { loadRecords, makeAccount } from "../../expansion/fixtures.js";
import { NOW, redTickets } from "../helpers.js";

const finished = (r: RunRecord | undefined) =>
  r && ["succeeded", "partial", "failed"].includes(r.status) ? r : null;

describe("a TAM escalation makes Customer Success re-score the account", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  it("with the escalation counted, visible in the account's health history, as a child run of the TAM scan", async () => {
    const clock = new ManualClock(NOW);
    runtime = await makeRuntime({ clock });
    expect([...runtime.agents.keys()].sort()).toEqual(["customer-success", "sales", "tam"]);
    await loadRecords(runtime, [makeAccount({ id: "acc_1", name: "Acme Labs" })], redTickets("acc_1"));
    const baseline = await runtime.runs.dispatchAndWait({
      agent_id: "customer-success",
      task: { type: "health_scan", account_id: "acc_1" },
    });
    expect(baseline.status).toBe("succeeded");
    clock.advance(3_600_000); // the TAM scan an hour later
    const app = await makeApp(runtime);
    try {
      const account = async () =>
        (await app.inject({ method: "GET", url: "/v1/accounts/acc_1", headers: auth() })).json();
      const before = await account();
      expect(before.health.history).toHaveLength(1);
      expect(before.health.tam_escalations).toBe(0);

      const res = await app.inject({
        method: "POST",
        url: "/v1/agents/tam/tasks?wait=true",
        headers: auth(),
        payload: { type: "health_scan" },
      });
      expect(res.statusCode).toBe(200);
      const tamRun = res.json();
      expect(tamRun.result.escalations).toMatchObject([{ account_id: "acc_1", status: "Red", score: 20 }]);

      const rescore = (await eventually(async () =>
        finished((await runtime!.runs.children(tamRun.run_id))[0]),
      ))!;
      expect(rescore).toMatchObject({
        agent_id: "customer-success",
        task_type: "health_scan",
        status: "succeeded",
        parent_run_id: tamRun.run_id,
        caller: "event:tam.escalation_raised",
        input: { type: "health_scan", account_id: "acc_1" },
      });

      const after = await account();
      expect(after.health.history.map((h: { run_id: string }) => h.run_id)).toEqual([
        baseline.run_id,
        rescore.run_id,
      ]);
      expect(after.health.tam_escalations).toBe(1);
      expect(
        after.health.breakdown.find((b: { signal: string }) => b.signal === "escalations_90d"),
      ).toMatchObject({ value: 1 });
      expect(after.health.history[1].score).toBeLessThan(after.health.history[0].score);
      expect(after.tam).toEqual({ score: 20, status: "Red", last_scan: "2026-03-11T15:00:00.000Z" });

      const view = await app.inject({ method: "GET", url: `/v1/runs/${tamRun.run_id}`, headers: auth() });
      expect(view.json().children).toEqual([
        {
          run_id: rescore.run_id,
          agent_id: "customer-success",
          task_type: "health_scan",
          status: "succeeded",
        },
      ]);
    } finally {
      await app.close();
    }
  });
});
