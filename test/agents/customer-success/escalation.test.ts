import { afterEach, describe, expect, it } from "vitest";
import { escalationRunId, handleTamEscalation } from "../../../src/agents/customer-success/escalations.js";
import type { Runtime } from "../../../src/runtime.js";
import { decodeHealthDetail } from "../../../src/store/health-detail.js";
import { eventually } from "../../helpers/runtime.js";
import { csRuntime, demoBook, historyRows, resultOf, scan, scenarioOf } from "./helpers.js";

describe("tam.escalation_raised hand-off", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  it("re-scores the account with the escalation counted, as a run linked to the TAM's, visible in its history", async () => {
    runtime = await csRuntime();
    const target = demoBook.accounts.find((a) => scenarioOf(a.id) === "healthy" && a.escalations_90d === 0)!;
    const before = resultOf(await scan(runtime, { type: "health_scan", account_id: target.id }))
      .health_scores[0]!;

    const event = await runtime.bus.publish("tam.escalation_raised", {
      source: "tam",
      account_id: target.id,
      run_id: "run_tam_parent",
      payload: { score: 35, status: "Red", previous_status: "Amber", reasons: ["2 aged P1 tickets"] },
    });
    const rescore = (await eventually(async () => {
      const r = await runtime!.runs.get(escalationRunId(event.id));
      return r && ["succeeded", "partial", "failed"].includes(r.status) ? r : null;
    }))!;
    expect(rescore.status).toBe("succeeded");
    expect(rescore.parent_run_id).toBe("run_tam_parent");
    expect(rescore.caller).toBe("event:tam.escalation_raised");
    expect((await runtime.runs.children("run_tam_parent")).map((c) => c.run_id)).toEqual([rescore.run_id]);

    const [row] = await historyRows(runtime, rescore.run_id);
    const detail = decodeHealthDetail(row!.detail)!;
    expect(detail.tam_escalations).toBe(1);
    const escalation = detail.breakdown.find((b: { signal: string }) => b.signal === "escalations_90d");
    expect(escalation).toMatchObject({ value: 1, sub_score: 0.5 });
    expect(row!.score).toBeLessThan(before.score);
  });

  it("is idempotent under redelivery: one escalation counted, one run", async () => {
    runtime = await csRuntime();
    const target = demoBook.accounts.find((a) => scenarioOf(a.id) === "healthy")!;
    const event = await runtime.bus.publish("tam.escalation_raised", {
      source: "tam",
      account_id: target.id,
      payload: { score: 55, status: "Amber", previous_status: "Green", reasons: ["heartbeat stale"] },
    });
    await eventually(
      async () => (await runtime!.runs.get(escalationRunId(event.id)))?.status === "succeeded",
    );
    await handleTamEscalation(runtime, event);
    await runtime.bus.idle();
    const escalations = await runtime.store.db.selectFrom("csm_escalations").selectAll().execute();
    expect(escalations).toHaveLength(1);
    const runs = await runtime.runs.list({ agent_id: "customer-success" });
    expect(runs.filter((r) => r.caller === "event:tam.escalation_raised")).toHaveLength(1);
  });
});
