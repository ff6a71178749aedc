import type { FastifyInstance } from "fastify";
import { describe, expect, it } from "vitest";
import { AGENTS } from "../../../src/agents/index.js";
import type { ManualClock } from "../../../src/clock.js";
import type { Runtime } from "../../../src/runtime.js";
import { playbookTick } from "../../../src/scheduler/jobs/playbooks.js";
import { auth, KEYS } from "../../helpers/runtime.js";
import { test } from "../fixture.js";
import { draftsOf, patchAccount, settle, someAccount } from "../helpers.js";

/**
 * The four library playbooks, imported and run end to end for a customer with the real
 * Customer Success, Sales and TAM agents (an agent action's run result is the step's output),
 * a CSM approving every gated step, and the clock moved past each wait.
 */

let runtime: Runtime;
let clock: ManualClock;
let app: FastifyInstance;
test.override("playbookOptions", { accounts: 20, agents: AGENTS });
test.beforeAll(({ runtime: r, app: a, clock: c }) => {
  runtime = r;
  app = a;
  clock = c;
});

const post = (url: string, payload: object = {}) =>
  app.inject({ method: "POST", url, headers: auth(), payload });
const get = async (url: string) => (await app.inject({ url, headers: auth(KEYS.reader) })).json();

interface View {
  status: string;
  wake_at: string | null;
  steps: Array<{
    step_id: string;
    type: string;
    status: string;
    output: Record<string, unknown> | null;
    error: string | null;
  }>;
}

/** Approve whatever waits for approval, move the clock past each wait, until the execution ends. */
async function runToEnd(id: string, signals: Record<string, boolean> = {}): Promise<View> {
  for (let round = 0; round < 40; round++) {
    await settle(runtime);
    const ex: View = await get(`/v1/playbook-executions/${id}`);
    if (["completed", "failed", "cancelled"].includes(ex.status)) return ex;
    if (ex.status === "awaiting_approval") {
      for (const a of (await get(`/v1/approvals?execution_id=${id}`)).approvals)
        await post(`/v1/approvals/${a.approval_id}`, { decision: "approve" });
    } else if (ex.status === "waiting" && ex.wake_at) {
      if (Object.keys(signals).length > 0) await post(`/v1/playbook-executions/${id}/signals`, signals);
      clock.set(new Date(Date.parse(ex.wake_at) + 60_000));
      await playbookTick(runtime);
    }
  }
  throw new Error(`execution ${id} did not finish`);
}

async function importAndStart(key: string, accountId: string) {
  const imported = await post(`/v1/playbooks/library/${key}/import`);
  const pb = imported.json().playbook_id;
  expect((await post(`/v1/playbooks/${pb}/publish`)).statusCode).toBe(200);
  const res = await post(`/v1/playbooks/${pb}/executions`, {
    account_id: accountId,
    contact_email: "champion@customer.example.com",
  });
  expect(res.statusCode, JSON.stringify(res.json())).toBe(201);
  return res.json().execution_id as string;
}

const byId = (ex: View) => Object.fromEntries(ex.steps.map((s) => [s.step_id, s]));

describe("library playbooks run end to end", () => {
  it("onboarding: kickoff, training, 30-day check-in, adoption review, 60-day review", async () => {
    clock.set("2026-03-02T09:00:00.000Z");
    const account = await someAccount(runtime, "Onboarding");
    await patchAccount(runtime, account.id, { signup_date: "2026-03-01", feature_adoption: 0.35 });
    const id = await importAndStart("onboarding", account.id);
    const ex = await runToEnd(id);
    expect(ex.status).toBe("completed");
    const s = byId(ex);
    expect(s.kickoff_email!.status).toBe("completed");
    expect(s.adoption_started!.output).toMatchObject({ branch: "then" });
    expect(s.unblock_task!.status).toBe("skipped");
    expect(s.until_day_30!.output).toMatchObject({ wake_at: "2026-03-31T00:00:00.000Z" });
    expect(s.adoption_review!.output).toMatchObject({ agent_id: "customer-success", status: "succeeded" });
    expect(s.adoption_review!.output!.result).toMatchObject({ task_type: "track_feature_adoption" });
    expect(s.day_60_review!.status).toBe("completed");
    const subjects = (await draftsOf(runtime, id)).map((d) => d.subject);
    expect(subjects).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Welcome aboard, /),
        expect.stringMatching(/training plan/),
      ]),
    );
    // The meetings' queue tasks (an open task of the same type the customer already had is reused).
    expect(s.day_30_checkin!.output).toMatchObject({
      task_type: "day_30_checkin",
      task_id: expect.any(Number),
    });
    expect(s.day_60_review!.output).toMatchObject({
      task_type: "day_60_checkin",
      task_id: expect.any(Number),
    });
  });

  it("at-risk: detection, outreach, TAM escalation when there is no reply, save plan", async () => {
    clock.set("2026-03-02T09:00:00.000Z");
    const account = await someAccount(runtime, "Active", 0);
    await patchAccount(runtime, account.id, { csm_health_score: 48, churn_risk: "high" });
    const id = await importAndStart("at_risk", account.id);
    const ex = await runToEnd(id);
    expect(ex.status).toBe("completed");
    const s = byId(ex);
    expect(s.assess_risk!.output).toMatchObject({ agent_id: "customer-success", status: "succeeded" });
    expect(s.assess_risk!.output!.result).toMatchObject({ task_type: "assess_churn_risk" });
    expect(s.replied!.output).toMatchObject({ branch: "else", target: "escalate" });
    expect(s.escalate!.output).toMatchObject({ agent_id: "tam", status: "succeeded" });
    expect(s.save_plan_meeting!.output).toMatchObject({ task_type: "at_risk_recovery" });
    // Health still below 60 two weeks later: the executive sponsor email.
    expect(s.recovered!.output).toMatchObject({ branch: "else" });
    expect(s.exec_sponsor!.status).toBe("completed");
  });

  it("at-risk with a reply: straight to the save plan, no escalation", async () => {
    clock.set("2026-03-02T09:00:00.000Z");
    const account = await someAccount(runtime, "Active", 1);
    await patchAccount(runtime, account.id, { csm_health_score: 48 });
    const id = await importAndStart("at_risk", account.id);
    const ex = await runToEnd(id, { response_received: true });
    const s = byId(ex);
    expect(s.replied!.output).toMatchObject({ branch: "then" });
    expect(s.escalate!.status).toBe("skipped");
    expect(s.save_plan_meeting!.status).toBe("completed");
  });

  it("renewal: 90-day prep, QBR, proposal, negotiation brief, close", async () => {
    clock.set("2026-03-02T09:00:00.000Z");
    const account = await someAccount(runtime, "Active", 2);
    await patchAccount(runtime, account.id, { renewal_date: "2026-05-31" });
    const id = await importAndStart("renewal", account.id);
    const ex = await runToEnd(id);
    expect(ex.status).toBe("completed");
    const s = byId(ex);
    expect(s.renewal_prep!.output).toMatchObject({ task_type: "renewal_prep" });
    expect(s.qbr!.output).toMatchObject({ agent_id: "customer-success", status: "succeeded" });
    expect(s.qbr!.output!.result).toMatchObject({ task_type: "generate_qbr" });
    expect(s.until_proposal!.output).toMatchObject({ wake_at: "2026-04-01T00:00:00.000Z" });
    for (const step of ["proposal", "negotiation_brief", "close_checklist"])
      expect(s[step]!.status, step).toBe("completed");
  });

  it("expansion: opportunity, technical readiness through Sales, demo, proposal, close", async () => {
    clock.set("2026-03-02T09:00:00.000Z");
    const account = await someAccount(runtime, "Active", 3);
    await patchAccount(runtime, account.id, { csm_health_score: 88 });
    const id = await importAndStart("expansion", account.id);
    const ex = await runToEnd(id, { meeting_held: true });
    expect(ex.status).toBe("completed");
    const s = byId(ex);
    expect(s.identify!.output).toMatchObject({ agent_id: "customer-success", status: "succeeded" });
    expect(s.technical_readiness!.output).toMatchObject({ agent_id: "sales", status: "succeeded" });
    expect(s.demo!.output).toMatchObject({ task_type: "expansion_opportunity" });
    expect(s.demo_held!.output).toMatchObject({ branch: "then" });
    for (const step of ["proposal", "close_handoff"]) expect(s[step]!.status, step).toBe("completed");
  });
});
