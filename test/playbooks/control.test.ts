import type { FastifyInstance } from "fastify";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { ManualClock } from "../../src/clock.js";
import type { Runtime } from "../../src/runtime.js";
import { playbookTick } from "../../src/scheduler/jobs/playbooks.js";
import { auth, KEYS } from "../helpers/runtime.js";
import { test } from "./fixture.js";
import { DAY, draftsOf, settle, someAccount, tasksOf } from "./helpers.js";

/**
 * Driving executions over the API: approval gates (approve, reject, reject-and-stop,
 * edit), pause/resume/cancel, the execution resource a progress panel reads, step transition events
 * and the per-execution WebSocket stream.
 */

let runtime: Runtime;
let clock: ManualClock;
let app: FastifyInstance;
let accountIndex = 0;
test.override("playbookOptions", { accounts: 30 });
test.beforeAll(({ runtime: r, app: a, clock: c }) => {
  runtime = r;
  app = a;
  clock = c;
});

const post = (url: string, payload: object = {}, key: string = KEYS.admin) =>
  app.inject({ method: "POST", url, headers: auth(key), payload });
const get = async (url: string) => (await app.inject({ url, headers: auth(KEYS.reader) })).json();
const execution = (id: string) => get(`/v1/playbook-executions/${id}`);
const statuses = async (id: string) =>
  (await execution(id)).steps.map((s: { step_id: string; status: string }) => `${s.step_id}:${s.status}`);
const tick = async () => {
  await playbookTick(runtime);
  await settle(runtime);
};

async function start(def: Record<string, unknown>, contact = "buyer@customer.example.com") {
  const pb = await post("/v1/playbooks?publish=true", def);
  expect(pb.statusCode, JSON.stringify(pb.json())).toBe(201);
  const account = await someAccount(runtime, "Active", accountIndex++);
  const res = await post(`/v1/playbooks/${pb.json().playbook_id}/executions`, {
    account_id: account.id,
    contact_email: contact,
  });
  expect(res.statusCode, JSON.stringify(res.json())).toBe(201);
  await settle(runtime);
  return { id: res.json().execution_id as string, account, playbookId: pb.json().playbook_id as string };
}

const gated = (on_reject: "skip" | "stop" = "skip") => ({
  name: `Gated ${on_reject} ${Math.random()}`,
  steps: [
    { id: "intro", name: "Intro", type: "task", task_type: "renewal_prep" },
    {
      id: "outreach",
      name: "Outreach",
      type: "email",
      require_approval: true,
      on_reject,
      to: "customer",
      subject: "Checking in, {{customer.name}}",
      body: "Hi {{contact.name}},\n\nHow are things?\n\n{{csm.name}}",
    },
    { id: "follow", name: "Follow", type: "task", task_type: "day_30_checkin" },
  ],
});

async function onlyApproval(executionId: string) {
  const list = await get(`/v1/approvals?execution_id=${executionId}`);
  expect(list.approvals).toHaveLength(1);
  return list.approvals[0];
}

describe("approval gates", () => {
  it("stops at the step, lists the approval with the rendered step; approve continues it", async () => {
    const { id, account } = await start(gated());
    const ex = await execution(id);
    expect(ex.status).toBe("awaiting_approval");
    expect(await statuses(id)).toEqual(["intro:completed", "outreach:awaiting_approval", "follow:pending"]);
    expect(await draftsOf(runtime, id)).toHaveLength(0);

    const pending = (await get("/v1/approvals")).approvals.map((a: { approval_id: string }) => a.approval_id);
    const approval = await onlyApproval(id);
    expect(pending).toContain(approval.approval_id);
    expect(approval).toMatchObject({
      status: "pending",
      step_id: "outreach",
      account_id: account.id,
      request: {
        step: { id: "outreach", name: "Outreach", type: "email", on_reject: "skip" },
        action: { type: "email", to: "buyer@customer.example.com", subject: `Checking in, ${account.name}` },
      },
      links: { execution: `/v1/playbook-executions/${id}` },
    });
    expect(ex.steps[1].approval_id).toBe(approval.approval_id);
    expect((await get(`/v1/approvals?account_id=${account.id}`)).approvals).toHaveLength(1);
    expect((await get(`/v1/approvals/${approval.approval_id}`)).approval_id).toBe(approval.approval_id);

    // Deciding needs approvals:decide.
    expect(
      (await post(`/v1/approvals/${approval.approval_id}`, { decision: "approve" }, KEYS.reader)).statusCode,
    ).toBe(403);
    const decided = await post(`/v1/approvals/${approval.approval_id}`, {
      decision: "approve",
      comment: "lgtm",
    });
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({
      status: "approved",
      decision: "approve",
      decided_by: "admin",
      comment: "lgtm",
    });
    await settle(runtime);
    expect((await execution(id)).status).toBe("completed");
    expect(await statuses(id)).toEqual(["intro:completed", "outreach:completed", "follow:completed"]);
    const drafts = await draftsOf(runtime, id);
    expect(drafts).toHaveLength(1);
    expect(drafts[0]!.subject).toBe(`Checking in, ${account.name}`);
    expect((await get(`/v1/approvals?execution_id=${id}`)).approvals).toHaveLength(0);
    expect((await get(`/v1/approvals?execution_id=${id}&status=approved`)).approvals).toHaveLength(1);

    // A decided approval cannot be decided again.
    const again = await post(`/v1/approvals/${approval.approval_id}`, { decision: "reject" });
    expect(again.statusCode).toBe(409);
    expect((await post("/v1/approvals/apr_nope", { decision: "approve" })).statusCode).toBe(404);
  });

  it("reject skips the step and carries on", async () => {
    const { id } = await start(gated("skip"));
    const approval = await onlyApproval(id);
    const res = await post(`/v1/approvals/${approval.approval_id}`, {
      decision: "reject",
      comment: "not now",
    });
    expect(res.json().status).toBe("rejected");
    await settle(runtime);
    const ex = await execution(id);
    expect(ex.status).toBe("completed");
    expect(await statuses(id)).toEqual(["intro:completed", "outreach:skipped", "follow:completed"]);
    expect(ex.steps[1].output).toEqual({ rejected: true, by: "admin", comment: "not now" });
    expect(await draftsOf(runtime, id)).toHaveLength(0);
  });

  it("reject stops the execution when the step says so: the rest is skipped", async () => {
    const { id } = await start(gated("stop"));
    const approval = await onlyApproval(id);
    await post(`/v1/approvals/${approval.approval_id}`, { decision: "reject" });
    await settle(runtime);
    const ex = await execution(id);
    expect(ex.status).toBe("cancelled");
    expect(ex.end_reason).toBe("step outreach rejected by admin");
    expect(await statuses(id)).toEqual(["intro:completed", "outreach:skipped", "follow:skipped"]);
    expect(await tasksOf(runtime, id)).toHaveLength(1);
  });

  it("edit: the step runs as the approver changed it; edits are checked", async () => {
    const { id } = await start(gated());
    const approval = await onlyApproval(id);
    const bad = await post(`/v1/approvals/${approval.approval_id}`, {
      decision: "edit",
      edits: { to: "not-an-address" },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^edits\.to/);
    const unknown = await post(`/v1/approvals/${approval.approval_id}`, {
      decision: "edit",
      edits: { bcc: ["x@y.z"] },
    });
    expect(unknown.statusCode).toBe(400);
    expect((await post(`/v1/approvals/${approval.approval_id}`, { decision: "edit" })).statusCode).toBe(400);
    expect(
      (await post(`/v1/approvals/${approval.approval_id}`, { decision: "approve", edits: { subject: "x" } }))
        .statusCode,
    ).toBe(400);

    const res = await post(`/v1/approvals/${approval.approval_id}`, {
      decision: "edit",
      edits: { to: "vp@customer.example.com", subject: "A better subject", text: "Short <and> sweet." },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: "edited", edits: { subject: "A better subject" } });
    await settle(runtime);
    const [draft] = await draftsOf(runtime, id);
    expect(draft).toMatchObject({
      to_addr: "vp@customer.example.com",
      subject: "A better subject",
      text_body: "Short <and> sweet.",
      html_body: "<p>Short &lt;and&gt; sweet.</p>",
    });
    expect((await execution(id)).status).toBe("completed");
  });

  it("an agent action can be gated too; an edited task must still be valid for the agent", async () => {
    const { id } = await start({
      name: "Gated agent",
      steps: [
        {
          id: "note",
          name: "Note",
          type: "agent_action",
          require_approval: true,
          agent_id: "test-notes",
          task: { type: "note", label: "gated" },
        },
      ],
    });
    const approval = await onlyApproval(id);
    expect(approval.request.action).toMatchObject({
      type: "agent_action",
      agent_id: "test-notes",
      task: { type: "note", label: "gated" },
    });
    const invalid = await post(`/v1/approvals/${approval.approval_id}`, {
      decision: "edit",
      edits: { task: { type: "note", label: "" } },
    });
    expect(invalid.statusCode).toBe(400);
    await post(`/v1/approvals/${approval.approval_id}`, {
      decision: "edit",
      edits: { task: { type: "note", account_id: approval.account_id, label: "edited" } },
    });
    await settle(runtime);
    const ex = await execution(id);
    expect(ex.steps[0].output.result).toMatchObject({ noted: "edited" });
  });
});

describe("pause, resume and cancel", () => {
  const def = () => ({
    name: `Long ${Math.random()}`,
    steps: [
      { id: "one", name: "One", type: "task", task_type: "renewal_prep" },
      { id: "nap", name: "Nap", type: "wait", duration: { days: 2 } },
      { id: "two", name: "Two", type: "task", task_type: "day_30_checkin" },
      { id: "ask", name: "Ask", type: "email", require_approval: true, to: "csm", subject: "s", body: "b" },
      { id: "three", name: "Three", type: "task", task_type: "day_60_checkin" },
    ],
  });

  it("a paused execution does not wake from its wait; resumed, it carries on from where it was", async () => {
    const t0 = clock.now().getTime();
    const { id } = await start(def());
    expect((await execution(id)).status).toBe("waiting");
    const paused = await post(`/v1/playbook-executions/${id}/pause`, { reason: "customer on holiday" });
    expect(paused.statusCode).toBe(200);
    expect(paused.json()).toMatchObject({ status: "paused", paused_status: "waiting" });
    expect((await post(`/v1/playbook-executions/${id}/pause`)).json().status).toBe("paused");

    clock.advance(3 * DAY);
    await tick();
    expect((await execution(id)).status).toBe("paused");
    expect(await statuses(id)).toEqual([
      "one:completed",
      "nap:waiting",
      "two:pending",
      "ask:pending",
      "three:pending",
    ]);

    const resumed = await post(`/v1/playbook-executions/${id}/resume`, {});
    expect(resumed.statusCode).toBe(200);
    await settle(runtime);
    expect((await execution(id)).status).toBe("awaiting_approval");
    expect(await statuses(id)).toEqual([
      "one:completed",
      "nap:completed",
      "two:completed",
      "ask:awaiting_approval",
      "three:pending",
    ]);
    expect((await post(`/v1/playbook-executions/${id}/resume`)).statusCode).toBe(409);

    // Paused while awaiting approval: a decision taken meanwhile applies on resume.
    await post(`/v1/playbook-executions/${id}/pause`);
    const approval = await onlyApproval(id);
    await post(`/v1/approvals/${approval.approval_id}`, { decision: "approve" });
    await settle(runtime);
    expect((await execution(id)).status).toBe("paused");
    expect(await draftsOf(runtime, id)).toHaveLength(0);
    await post(`/v1/playbook-executions/${id}/resume`);
    await settle(runtime);
    expect((await execution(id)).status).toBe("completed");
    expect(await draftsOf(runtime, id)).toHaveLength(1);
    expect(await tasksOf(runtime, id)).toHaveLength(3);
    clock.set(new Date(t0));
  });

  it("cancel marks the remaining steps skipped and withdraws a pending approval", async () => {
    const t0 = clock.now().getTime();
    const waiting = await start(def());
    const cancelled = await post(`/v1/playbook-executions/${waiting.id}/cancel`, { reason: "renewed early" });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: "cancelled", end_reason: "renewed early" });
    expect(await statuses(waiting.id)).toEqual([
      "one:completed",
      "nap:skipped",
      "two:skipped",
      "ask:skipped",
      "three:skipped",
    ]);
    clock.advance(3 * DAY);
    await tick();
    expect(await tasksOf(runtime, waiting.id)).toHaveLength(1);
    expect((await post(`/v1/playbook-executions/${waiting.id}/cancel`)).statusCode).toBe(409);
    expect((await post(`/v1/playbook-executions/${waiting.id}/pause`)).statusCode).toBe(409);

    const asking = await start(def());
    clock.advance(3 * DAY);
    await tick();
    const approval = await onlyApproval(asking.id);
    await post(`/v1/playbook-executions/${asking.id}/cancel`);
    expect((await get(`/v1/approvals/${approval.approval_id}`)).status).toBe("cancelled");
    expect((await post(`/v1/approvals/${approval.approval_id}`, { decision: "approve" })).statusCode).toBe(
      409,
    );
    await settle(runtime);
    expect(await draftsOf(runtime, asking.id)).toHaveLength(0);
    expect(await statuses(asking.id)).toEqual([
      "one:completed",
      "nap:completed",
      "two:completed",
      "ask:skipped",
      "three:skipped",
    ]);
    clock.set(new Date(t0));
  });
});

describe("progress", () => {
  it("the execution resource: step statuses, times, outputs, elapsed time and estimated completion", async () => {
    const t0 = clock.now().getTime();
    const { id, account } = await start({
      name: "Progress",
      steps: [
        { id: "prep", name: "Prep", type: "task", task_type: "renewal_prep" },
        { id: "hello", name: "Hello", type: "email", to: "customer", subject: "Hi", body: "Hello" },
        { id: "nap", name: "Nap", type: "wait", duration: { days: 5 } },
        { id: "ask", name: "Ask", type: "email", require_approval: true, to: "csm", subject: "s", body: "b" },
      ],
    });
    clock.advance(DAY);
    let ex = await execution(id);
    expect(ex).toMatchObject({
      status: "waiting",
      account_id: account.id,
      playbook_name: "Progress",
      trigger: { type: "manual" },
      started_by: "admin",
      current_step_id: "nap",
      elapsed_seconds: 86_400,
      progress: { total: 4, completed: 2, open: 2 },
      links: { stream: `/v1/playbook-executions/${id}/stream` },
    });
    expect(ex.steps[0]).toMatchObject({
      status: "completed",
      started_at: new Date(t0).toISOString(),
      finished_at: new Date(t0).toISOString(),
      duration_seconds: 0,
      output: { task_id: expect.any(Number) },
    });
    expect(ex.steps[1].output).toMatchObject({
      draft_id: expect.stringMatching(/^draft_/),
      to: "buyer@customer.example.com",
    });
    expect(ex.steps[2]).toMatchObject({ status: "waiting", wake_at: new Date(t0 + 5 * DAY).toISOString() });
    // Four days of wait left, then the approval (no history yet: half a working day plus the step itself).
    expect(ex.estimated_completion_at).toBe(new Date(t0 + 5 * DAY + 4 * 3_600_000 + 60_000).toISOString());
    expect(ex.estimated_remaining_seconds).toBe(4 * 86_400 + 4 * 3_600 + 60);

    // The customer page's active playbooks panel.
    const active = await get(`/v1/playbook-executions?account_id=${account.id}&active=true`);
    expect(active.executions.map((e: { execution_id: string }) => e.execution_id)).toEqual([id]);
    expect(active.executions[0]).toMatchObject({
      status: "waiting",
      current_step_id: "nap",
      trigger_type: "manual",
    });

    clock.advance(4 * DAY);
    await tick();
    ex = await execution(id);
    expect(ex.steps[3].status).toBe("awaiting_approval");
    clock.advance(3_600_000);
    await post(`/v1/approvals/${ex.steps[3].approval_id}`, { decision: "approve" });
    await settle(runtime);
    ex = await execution(id);
    expect(ex).toMatchObject({
      status: "completed",
      finished_at: new Date(t0 + 5 * DAY + 3_600_000).toISOString(),
      elapsed_seconds: 5 * 86_400 + 3_600,
      estimated_remaining_seconds: 0,
    });
    expect(ex.steps[3]).toMatchObject({ duration_seconds: 3_600 });
    expect((await get(`/v1/playbook-executions?account_id=${account.id}&active=true`)).executions).toEqual(
      [],
    );
    expect(
      (await get(`/v1/playbook-executions?account_id=${account.id}&status=completed`)).executions,
    ).toHaveLength(1);
    expect((await app.inject({ url: "/v1/playbook-executions/pbx_nope", headers: auth() })).statusCode).toBe(
      404,
    );
    clock.set(new Date(t0));
  });

  it("every step transition is an event, and the execution streams over a WebSocket until it finishes", async () => {
    const base = (await app.listen({ port: 0, host: "127.0.0.1" })).replace("http", "ws");
    const { id } = await start(gated());
    const messages: Array<{
      kind: string;
      execution?: { status: string };
      event?: { type: string; payload: Record<string, unknown> };
    }> = [];
    const closed = new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(`${base}/v1/playbook-executions/${id}/stream`, { headers: auth(KEYS.reader) });
      ws.on("message", (d) => messages.push(JSON.parse(String(d))));
      ws.on("close", () => resolve());
      ws.on("error", reject);
    });
    // The stream opens with the execution, replays what happened so far, then goes live.
    while (!messages.some((m) => m.event?.type === "playbook.step_awaiting_approval"))
      await new Promise((r) => setTimeout(r, 20));
    expect(messages[0]).toMatchObject({ kind: "execution", execution: { status: "awaiting_approval" } });
    const approval = await onlyApproval(id);
    await post(`/v1/approvals/${approval.approval_id}`, { decision: "approve" });
    await settle(runtime);
    await closed;

    const events = messages.filter((m) => m.kind === "event").map((m) => m.event!);
    const steps = events
      .filter((e) => e.type === "playbook.step_transitioned")
      .map((e) => `${e.payload.step_id}:${e.payload.status}`);
    expect(steps).toEqual([
      "intro:running",
      "intro:completed",
      "outreach:awaiting_approval",
      "outreach:running",
      "outreach:completed",
      "follow:running",
      "follow:completed",
    ]);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        "playbook.execution_started",
        "playbook.step_awaiting_approval",
        "playbook.execution_status_changed",
        "approval.decided",
        "playbook.execution_finished",
      ]),
    );
    expect(events[events.length - 1]).toMatchObject({
      type: "playbook.execution_finished",
      payload: { status: "completed" },
    });
    // Each transition once, also in the durable log (GET /v1/events).
    const log = await get("/v1/events?types=playbook.step_transitioned&limit=500");
    const mine = log.events.filter(
      (e: { payload: { execution_id: string } }) => e.payload.execution_id === id,
    );
    expect(mine).toHaveLength(7);

    const missing = await new Promise<{ code: number }>((resolve) => {
      const ws = new WebSocket(`${base}/v1/playbook-executions/pbx_nope/stream`, {
        headers: auth(KEYS.reader),
      });
      ws.on("close", (code) => resolve({ code }));
    });
    expect(missing.code).toBe(4404);
  });
});
