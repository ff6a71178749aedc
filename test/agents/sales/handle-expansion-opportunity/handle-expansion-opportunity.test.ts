import { afterEach, describe, expect, it } from "vitest";
import { handoffRunId } from "../../../../src/agents/shared/handoff.js";
import type { Runtime } from "../../../../src/runtime.js";
import { auth, eventually, makeApp, tempDataDir } from "../../../helpers/runtime.js";
import { drafts, eventsOf, loadRecords, makeAccount } from "../../expansion/fixtures.js";
import { finished, opportunityTask, salesRuntime, seedOpportunity } from "../helpers.js";

describe("Sales: handle_expansion_opportunity", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  it("drafts to the account executive with the subject, evidence and talk track, marks the record Dispatched, publishes expansion.received", async () => {
    runtime = await salesRuntime();
    await loadRecords(runtime, [
      makeAccount({ id: "acc_1", name: "Acme Labs", account_executive: "ae@example.com" }),
    ]);
    const opp = await seedOpportunity(runtime);
    const run = await runtime.runs.dispatchAndWait({
      agent_id: "sales",
      task: opportunityTask({ opportunity_id: opp.id }),
    });
    expect(run.status).toBe("succeeded");
    expect(run.result).toMatchObject({
      opportunity_id: opp.id,
      to: "ae@example.com",
      recipient: "account_executive",
      record_status: "Dispatched",
      subject: "Expansion opportunity: Acme Labs — seats ($12,000 ARR)",
    });
    const [draft] = await drafts(runtime);
    expect(draft).toMatchObject({
      to_addr: "ae@example.com",
      kind: "expansion",
      cc: "maya.chen@example.com",
    });
    expect(draft!.text_body).toContain("seats used: 98");
    expect(draft!.text_body).toContain("Ask how the team has grown");
    expect((await runtime.records.listExpansionOpportunities("acc_1"))[0]!.status).toBe("Dispatched");
    const received = await eventsOf(runtime, "expansion.received");
    expect(received.map((e) => e.payload)).toEqual([
      { opportunity_id: opp.id, draft_id: draft!.id, to: "ae@example.com" },
    ]);
  });

  it("uses SALES_FALLBACK_EMAIL when the account has no account executive, and says so", async () => {
    runtime = await salesRuntime({ SALES_FALLBACK_EMAIL: "sales-desk@example.com" });
    await loadRecords(runtime, [makeAccount({ id: "acc_1", account_executive: null })]);
    const run = await runtime.runs.dispatchAndWait({ agent_id: "sales", task: opportunityTask() });
    expect(run.status).toBe("succeeded");
    expect(run.result).toMatchObject({ to: "sales-desk@example.com", recipient: "sales_fallback" });
    expect(String(run.result!.recipient_note)).toContain("no Account Executive");
    const [draft] = await drafts(runtime);
    expect(draft!.text_body).toContain("sales fallback address");
    // Without an opportunity_id (an HTTP caller), the account's record is created and dispatched.
    expect((await runtime.records.listExpansionOpportunities("acc_1")).map((o) => o.status)).toEqual([
      "Dispatched",
    ]);
  });

  it("fails clearly, writing nothing, when there is neither an account executive nor a fallback", async () => {
    runtime = await salesRuntime();
    await loadRecords(runtime, [makeAccount({ id: "acc_1", account_executive: null })]);
    const run = await runtime.runs.dispatchAndWait({ agent_id: "sales", task: opportunityTask() });
    expect(run.status).toBe("failed");
    expect(run.error).toContain("SALES_FALLBACK_EMAIL");
    expect(await drafts(runtime)).toHaveLength(0);
    expect(await runtime.records.listExpansionOpportunities("acc_1")).toHaveLength(0);
  });

  it("over HTTP, a bad payload is a 400 naming the field", async () => {
    runtime = await salesRuntime();
    const app = await makeApp(runtime);
    const post = (body: unknown) =>
      app.inject({ method: "POST", url: "/v1/agents/sales/tasks", headers: auth(), payload: body as object });
    const { evidence: _e, ...noEvidence } = opportunityTask();
    const cases: Array<[unknown, string]> = [
      [noEvidence, "body.evidence"],
      [opportunityTask({ estimated_arr_impact: -5 }), "body.estimated_arr_impact"],
      [opportunityTask({ opportunity_type: "upsell" }), "body.opportunity_type"],
      [opportunityTask({ evidence: { note: "they seem busy" } }), "body.evidence"],
      [opportunityTask({ confidence: 2 }), "body.confidence"],
      [opportunityTask({ surprise: true }), "body"],
    ];
    for (const [body, field] of cases) {
      const res = await post(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.message).toContain(field);
    }
    expect(await runtime.runs.list({ agent_id: "sales" })).toHaveLength(0);
    await app.close();
  });

  it("over the bus, a bad hand-off fails the Sales run with a clear error and raises alert.raised; nothing is written", async () => {
    runtime = await salesRuntime();
    await loadRecords(runtime, [makeAccount({ id: "acc_1" })]);
    const opp = await seedOpportunity(runtime);
    const { evidence: _e, ...task } = opportunityTask({ opportunity_id: opp.id });
    const event = await runtime.bus.publish("handoff.requested", {
      source: "customer-success",
      account_id: "acc_1",
      run_id: "run_cs_parent",
      payload: { to_agent: "sales", task, reason: "test" },
    });
    const run = (await eventually(async () =>
      finished(await runtime!.runs.get(handoffRunId("sales", event.id))),
    ))!;
    expect(run.status).toBe("failed");
    expect(run.parent_run_id).toBe("run_cs_parent");
    expect(run.error).toMatch(/^invalid expansion hand-off: evidence: /);
    const alerts = await eventsOf(runtime, "alert.raised");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ source: "sales", run_id: run.run_id, account_id: "acc_1" });
    expect(String((alerts[0]!.payload as { reason?: unknown }).reason)).toContain("evidence");
    expect(await drafts(runtime)).toHaveLength(0);
    expect((await runtime.records.listExpansionOpportunities("acc_1"))[0]!.status).toBe("New");
    expect(await eventsOf(runtime, "expansion.received")).toHaveLength(0);
  });

  it("a second hand-off of the same opportunity makes no second draft", async () => {
    runtime = await salesRuntime();
    await loadRecords(runtime, [makeAccount({ id: "acc_1" })]);
    const opp = await seedOpportunity(runtime);
    const task = opportunityTask({ opportunity_id: opp.id });
    const first = await runtime.runs.dispatchAndWait({ agent_id: "sales", task });
    const second = await runtime.runs.dispatchAndWait({ agent_id: "sales", task });
    expect([first.status, second.status]).toEqual(["succeeded", "succeeded"]);
    expect(second.result).toMatchObject({ draft_created: false, draft_id: first.result!.draft_id });
    expect(await drafts(runtime)).toHaveLength(1);
    expect(await eventsOf(runtime, "expansion.received")).toHaveLength(1);
  });
});

describe("Sales: durable hand-off subscription", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  it("killed after the hand-off was published and before Sales handled it: after restart Sales handles it exactly once", async () => {
    const dataDir = tempDataDir();
    runtime = await salesRuntime({}, dataDir);
    await loadRecords(runtime, [makeAccount({ id: "acc_1", account_executive: "ae@example.com" })]);
    const opp = await seedOpportunity(runtime);
    // The process dies the moment the hand-off is in the log, before any durable subscriber sees it.
    const crashing = runtime;
    let crashed: Promise<void> | undefined;
    crashing.bus.subscribe({ types: ["handoff.requested"] }, () => {
      crashed = crashing.crash();
    });
    const event = await crashing.bus.publish("handoff.requested", {
      source: "customer-success",
      account_id: "acc_1",
      run_id: "run_cs_parent",
      payload: { to_agent: "sales", task: opportunityTask({ opportunity_id: opp.id }), reason: "expansion" },
    });
    await crashed;
    runtime = undefined;

    runtime = await salesRuntime({}, dataDir);
    const run = (await eventually(async () =>
      finished(await runtime!.runs.get(handoffRunId("sales", event.id))),
    ))!;
    expect(run.status).toBe("succeeded");
    expect(run.parent_run_id).toBe("run_cs_parent");
    await runtime.bus.idle();
    expect(await drafts(runtime)).toHaveLength(1);
    expect(await runtime.runs.list({ agent_id: "sales" })).toHaveLength(1);

    // Redelivery (the cursor rewound, as after a crash between handling and saving it) starts nothing.
    await runtime.close({ graceMs: 0 });
    runtime = await salesRuntime({}, dataDir).then(async (rt) => {
      await rt.close({ graceMs: 0 });
      return undefined;
    });
    const { openStore } = await import("../../../../src/store/db.js");
    const store = await openStore(`${dataDir}/account-team.db`);
    await store.db
      .updateTable("subscriber_cursors")
      .set({ seq: 0 })
      .where("name", "=", "handoff:sales")
      .execute();
    await store.close();
    runtime = await salesRuntime({}, dataDir);
    await runtime.bus.idle();
    await eventually(async () => (await runtime!.runs.list({ status: "queued" })).length === 0);
    expect(await runtime.runs.list({ agent_id: "sales" })).toHaveLength(1);
    expect(await drafts(runtime)).toHaveLength(1);
  });
});
