import type { FastifyInstance } from "fastify";
import { describe, expect, it } from "vitest";
import type { ManualClock } from "../../src/clock.js";
import type { Runtime } from "../../src/runtime.js";
import { playbookTick } from "../../src/scheduler/jobs/playbooks.js";
import { auth, KEYS } from "../helpers/runtime.js";
import { test } from "./fixture.js";
import { DAY, failPlan, patchAccount, settle, someAccount } from "./helpers.js";

/**
 * Playbook analytics: executions per playbook, completion and abandonment rates, average
 * duration, which steps fail most, and outcome correlation (renewal and churn of the customers who
 * completed it against those who did not).
 */

let runtime: Runtime;
let clock: ManualClock;
let app: FastifyInstance;
test.override("playbookOptions", { accounts: 30 });
test.beforeAll(({ runtime: r, app: a, clock: c }) => {
  runtime = r;
  app = a;
  clock = c;
});

const post = (url: string, payload: object = {}) =>
  app.inject({ method: "POST", url, headers: auth(), payload });
const get = async (url: string) => (await app.inject({ url, headers: auth(KEYS.reader) })).json();

describe("playbook analytics", () => {
  it("counts, rates, durations, failing steps and outcome correlation", async () => {
    const created = await post("/v1/playbooks?publish=true", {
      name: "Measured",
      on_failure: "stop",
      steps: [
        { id: "prep", name: "Prep", type: "task", task_type: "renewal_prep" },
        { id: "nap", name: "Nap", type: "wait", duration: { days: 2 } },
        {
          id: "note",
          name: "Note",
          type: "agent_action",
          agent_id: "test-notes",
          task: { type: "note", label: "{{customer.id}}" },
          max_attempts: 2,
        },
        { id: "ask", name: "Ask", type: "email", require_approval: true, to: "csm", subject: "s", body: "b" },
      ],
    });
    const pb = created.json().playbook_id;
    const accounts = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => someAccount(runtime, "Active", i)));
    for (const a of accounts) await patchAccount(runtime, a.id, { renewal_date: "2026-09-30" });
    // Account 3 fails at the note step (both attempts); 4 is cancelled; 5 is still running.
    failPlan.set(accounts[3]!.id, 2);
    const ids: string[] = [];
    for (const a of accounts) {
      ids.push((await post(`/v1/playbooks/${pb}/executions`, { account_id: a.id })).json().execution_id);
      clock.advance(3_600_000);
    }
    await settle(runtime);
    await post(`/v1/playbook-executions/${ids[4]}/cancel`);
    clock.advance(2 * DAY);
    await playbookTick(runtime);
    await settle(runtime);
    // Approvals for 0..2 (and 5, later) a day apart, so their durations differ.
    for (const i of [0, 1, 2]) {
      clock.advance(DAY);
      const [a] = (await get(`/v1/approvals?execution_id=${ids[i]}`)).approvals;
      await post(`/v1/approvals/${a.approval_id}`, { decision: "approve" });
      await settle(runtime);
    }
    // Outcomes: of the completed, 0 renewed (a new term) and 1 churned; of the others, 3 churned.
    await patchAccount(runtime, accounts[0]!.id, { renewal_date: "2027-09-30" });
    await patchAccount(runtime, accounts[1]!.id, { status: "Churned" });
    await patchAccount(runtime, accounts[3]!.id, { status: "Churned" });

    const res = await get(`/v1/playbooks/${pb}/analytics`);
    expect(res.executions).toMatchObject({
      total: 6,
      active: 1,
      completed: 3,
      failed: 1,
      cancelled: 1,
      by_status: { completed: 3, failed: 1, cancelled: 1, awaiting_approval: 1 },
      by_trigger: { manual: 6 },
    });
    expect(res.completion_rate).toBe(0.6);
    expect(res.abandonment_rate).toBe(0.4);
    // Execution i started at T0 + i hours and finished at T0 + 6h + 2d + (i+1) days.
    const durations = [0, 1, 2].map((i) => 6 * 3600 + 2 * 86_400 + (i + 1) * 86_400 - i * 3600);
    expect(res.average_duration_seconds).toBe(Math.round(durations.reduce((x, y) => x + y) / 3));
    expect(res.min_duration_seconds).toBe(Math.min(...durations));
    expect(res.max_duration_seconds).toBe(Math.max(...durations));
    expect(res.most_failing_step).toBe("note");
    const note = res.steps.find((s: { step_id: string }) => s.step_id === "note");
    // Reached by 5 (not the cancelled one), completed by 4, failed by 1 after 2 attempts.
    expect(note).toMatchObject({
      name: "Note",
      type: "agent_action",
      reached: 5,
      completed: 4,
      failed: 1,
      failure_rate: 0.2,
      retried: 1,
    });
    expect(res.steps[0].step_id).toBe("note");
    const ask = res.steps.find((s: { step_id: string }) => s.step_id === "ask");
    expect(ask).toMatchObject({ completed: 3, failed: 0, failure_rate: 0 });
    expect(res.outcome_correlation).toEqual({
      completed: {
        accounts: 3,
        churned: 1,
        renewed: 1,
        churn_rate: 0.333,
        renewal_rate: 0.333,
        retention_rate: 0.667,
      },
      not_completed: {
        accounts: 2,
        churned: 1,
        renewed: 0,
        churn_rate: 0.5,
        renewal_rate: 0,
        retention_rate: 0.5,
      },
      retention_lift: 0.167,
    });
    expect((await app.inject({ url: "/v1/playbooks/pb_nope/analytics", headers: auth() })).statusCode).toBe(
      404,
    );
  });

  it("a playbook never run has empty analytics, not errors", async () => {
    const created = await post("/v1/playbooks", {
      name: "Unused",
      steps: [{ id: "t", name: "t", type: "task", task_type: "renewal_prep" }],
    });
    const res = await get(`/v1/playbooks/${created.json().playbook_id}/analytics`);
    expect(res).toMatchObject({
      executions: { total: 0, active: 0 },
      completion_rate: null,
      abandonment_rate: null,
      average_duration_seconds: null,
      steps: [],
      most_failing_step: null,
      outcome_correlation: { retention_lift: null },
    });
  });
});
