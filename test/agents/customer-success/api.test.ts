import type { FastifyInstance } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { Runtime } from "../../../src/runtime.js";
import { auth, KEYS, makeApp } from "../../helpers/runtime.js";
import { csRuntime, NOW } from "./helpers.js";

interface StreamMessage {
  kind: string;
  event?: { type: string; payload: Record<string, unknown> };
}

function collect(url: string, headers: Record<string, string>): Promise<StreamMessage[]> {
  return new Promise((resolve, reject) => {
    const msgs: StreamMessage[] = [];
    const ws = new WebSocket(url, { headers });
    ws.on("message", (d) => msgs.push(JSON.parse(String(d))));
    ws.on("close", () => resolve(msgs));
    ws.on("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on("error", reject);
  });
}

describe("Customer Success over the API", () => {
  let runtime: Runtime;
  let app: FastifyInstance;
  beforeEach(async () => {
    runtime = await csRuntime();
    app = await makeApp(runtime);
  });
  afterEach(async () => {
    await app.close();
    await runtime.close({ graceMs: 0 });
  });

  it("lists its task types; rejects unknown fields and types before any run", async () => {
    const agents = (await app.inject({ url: "/v1/agents", headers: auth(KEYS.reader) })).json();
    const cs = agents.agents.find((a: { agent_id: string }) => a.agent_id === "customer-success");
    expect(cs.task_types.map((t: { type: string }) => t.type)).toEqual([
      "health_scan",
      "assess_churn_risk",
      "generate_qbr",
      "track_feature_adoption",
      "check_expansion",
    ]);

    const bad = await app.inject({
      method: "POST",
      url: "/v1/agents/customer-success/tasks",
      headers: auth(KEYS.dispatcher),
      payload: { type: "health_scan", acount_id: "acc_0001" },
    });
    expect(bad.statusCode).toBe(400);
    const unknown = await app.inject({
      method: "POST",
      url: "/v1/agents/customer-success/tasks",
      headers: auth(KEYS.dispatcher),
      payload: { type: "generate_report" },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain("health_scan, assess_churn_risk");
    const missing = await app.inject({
      method: "POST",
      url: "/v1/agents/customer-success/tasks",
      headers: auth(KEYS.dispatcher),
      payload: { type: "assess_churn_risk" },
    });
    expect(missing.statusCode).toBe(400);
    expect((await runtime.runs.list({})).length).toBe(0);
  });

  it("POST health_scan gives 202; the run's stream shows progress then the result; the account shows breakdown and history", async () => {
    const base = (await app.listen({ port: 0, host: "127.0.0.1" })).replace("http", "ws");
    const res = await app.inject({
      method: "POST",
      url: "/v1/agents/customer-success/tasks",
      headers: auth(KEYS.dispatcher),
      payload: { type: "health_scan" },
    });
    expect(res.statusCode).toBe(202);
    const { run_id } = res.json();

    const msgs = await collect(`${base}/v1/runs/${run_id}/stream`, auth(KEYS.reader));
    expect(msgs[0]!.kind).toBe("run");
    const types = msgs.slice(1).map((m) => m.event!.type);
    const progress = msgs.filter((m) => m.event?.type === "run.progress").map((m) => m.event!.payload.phase);
    expect(progress).toEqual(expect.arrayContaining(["load_accounts", "score_accounts", "persist_scores"]));
    expect(types.indexOf("run.progress")).toBeLessThan(types.indexOf("alert.raised"));
    expect(types.at(-1)).toBe("run.finished");
    expect(msgs.at(-1)!.event!.payload).toMatchObject({ status: "succeeded", task_type: "health_scan" });

    const run = (await app.inject({ url: `/v1/runs/${run_id}`, headers: auth(KEYS.reader) })).json();
    expect(run.result).toMatchObject({ task_type: "health_scan", scanned: 60, confidence: "high" });
    const scored = run.result.health_scores[0];

    const account = (
      await app.inject({ url: `/v1/accounts/${scored.account_id}`, headers: auth(KEYS.reader) })
    ).json();
    expect(account.health).toMatchObject({
      score: scored.score,
      rag: scored.rag,
      churn_risk: scored.churn_risk,
      last_scan: NOW,
    });
    expect(account.health.breakdown.length).toBeGreaterThan(0);
    expect(account.health.breakdown[0]).toEqual(
      expect.objectContaining({
        signal: expect.any(String),
        sub_score: expect.any(Number),
        points: expect.any(Number),
      }),
    );
    expect(account.health.top_drivers).toEqual(expect.any(Array));
    expect(account.health.churn.level).toBe(scored.churn_risk);
    // The demo book's weekly history plus this scan.
    expect(account.health.history.length).toBeGreaterThan(1);
    expect(account.health.history.at(-1)).toMatchObject({ run_id, score: scored.score });
  });

  it("assess_churn_risk returns the assessment with its narrative and writes nothing", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/v1/agents/customer-success/tasks?wait=true",
      headers: auth(KEYS.dispatcher),
      payload: { type: "assess_churn_risk", account_id: "acc_0001" },
    });
    expect(res.statusCode).toBe(200);
    const result = res.json().result;
    expect(result).toMatchObject({
      task_type: "assess_churn_risk",
      account_id: "acc_0001",
      generated_by: "template",
    });
    expect(["low", "medium", "high", "critical"]).toContain(result.churn_risk);
    expect(["none", "contract_proximity", "behavioural", "combined"]).toContain(result.trigger_type);
    expect(result.risk_narrative.length).toBeGreaterThan(20);
    expect(result.recommended_actions.length).toBeGreaterThan(0);
    expect(await runtime.store.db.selectFrom("outbox_drafts").select("id").execute()).toHaveLength(0);
    expect(
      await runtime.store.db
        .selectFrom("health_history")
        .select("id")
        .where("run_id", "is not", null)
        .execute(),
    ).toHaveLength(0);
    expect((await runtime.records.getAccount("acc_0001"))!.csm_health_score).toBeNull();
  });
});
