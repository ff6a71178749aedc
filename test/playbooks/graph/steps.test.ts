import type { FastifyInstance } from "fastify";
import { beforeEach, describe, expect, it } from "vitest";
import type { ManualClock } from "../../../src/clock.js";
import type { Runtime } from "../../../src/runtime.js";
import { playbookTick } from "../../../src/scheduler/jobs/playbooks.js";
import { auth, KEYS } from "../../helpers/runtime.js";
import { test } from "../fixture.js";
import {
  DAY,
  draftsOf,
  failPlan,
  noteCalls,
  noteGates,
  patchAccount,
  playbookRuntime,
  settle,
  someAccount,
  stepStatuses,
  tasksOf,
} from "../helpers.js";

/**
 * Every step type run end to end over the API: email drafts (HTML-escaped), meetings (a draft invitation
 * plus a queue task), tasks, waits (a duration, or until a date) woken by the scheduler tick, condition
 * branches (structured and expression conditions over health, flags, meetings, time and account
 * fields), agent actions whose run result is the step's output, and retries then on_failure.
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
beforeEach(() => {
  failPlan.clear();
});

const post = (url: string, payload: object = {}, key: string = KEYS.admin) =>
  app.inject({ method: "POST", url, headers: auth(key), payload });
const get = async (url: string) => (await app.inject({ url, headers: auth(KEYS.reader) })).json();

/** Publish a playbook and start it for a fresh account; returns ids once the execution stopped moving. */
async function start(def: Record<string, unknown>, opts: { contact?: string; account?: string } = {}) {
  const pb = await post("/v1/playbooks?publish=true", def);
  expect(pb.statusCode, JSON.stringify(pb.json())).toBe(201);
  const accountId = opts.account ?? (await someAccount(runtime, "Active", accountIndex++)).id;
  const res = await post(`/v1/playbooks/${pb.json().playbook_id}/executions`, {
    account_id: accountId,
    ...(opts.contact ? { contact_email: opts.contact } : {}),
  });
  expect(res.statusCode, JSON.stringify(res.json())).toBe(201);
  await settle(runtime);
  return { id: res.json().execution_id as string, accountId, playbookId: pb.json().playbook_id as string };
}

const execution = (id: string) => get(`/v1/playbook-executions/${id}`);
const tick = async () => {
  const report = await playbookTick(runtime);
  await settle(runtime);
  return report;
};

describe("email and meeting steps", () => {
  it("drafts the email with variables filled in, HTML-escaped in the HTML part", async () => {
    const account = await someAccount(runtime, "Active", accountIndex++);
    await patchAccount(runtime, account.id, {
      name: `Tom & Jerry <script>alert("x")</script>`,
      champion: "Jo <b>Bold</b>",
      renewal_date: "2026-06-30",
    });
    const { id } = await start(
      {
        name: "Escaping",
        steps: [
          {
            id: "hello",
            name: "Hello",
            type: "email",
            to: "customer",
            cc: ["csm"],
            subject: "Renewal for {{customer.name}}",
            body: "Hi {{contact.name}},\n\n{{customer.name}} renews on {{renewal_date}}.\nThanks,\n{{csm.name}}",
          },
        ],
      },
      { account: account.id, contact: "jo@customer.example.com" },
    );
    const ex = await execution(id);
    expect(ex.status).toBe("completed");
    const [draft] = await draftsOf(runtime, id);
    expect(draft).toMatchObject({
      to_addr: "jo@customer.example.com",
      cc: account.csm_owner,
      subject: `Renewal for Tom & Jerry <script>alert("x")</script>`,
      kind: "playbook",
      account_id: account.id,
    });
    expect(draft!.text_body).toContain("Hi Jo <b>Bold</b>,");
    expect(draft!.html_body).toContain("<p>Hi Jo &lt;b&gt;Bold&lt;/b&gt;,</p>");
    expect(draft!.html_body).toContain(
      "Tom &amp; Jerry &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; renews on June 30, 2026.<br>",
    );
    expect(draft!.html_body).not.toMatch(/<script|<b>/);
    expect(ex.steps[0].output).toMatchObject({
      draft_id: draft!.id,
      provider: "local",
      recipient_source: "contact",
    });
    // The drafts API shows it (a playbook's "sent emails" are drafts a rep reviews: there is no send path).
    const drafts = await get(`/v1/drafts?account_id=${account.id}`);
    expect(JSON.stringify(drafts)).toContain(draft!.id);
  });

  it("a meeting drafts an invitation with proposed slots and queues a task to hold it", async () => {
    const { id, accountId } = await start(
      {
        name: "Meet",
        steps: [
          {
            id: "meet",
            name: "Meet",
            type: "meeting",
            title: "{{customer.name}} review",
            agenda: "1. Goals\n2. Plan",
            attendees: ["customer", "csm"],
            duration_minutes: 45,
            slots: { count: 3, earliest_in_days: 2, hours_utc: [15, 18] },
            task_type: "day_30_checkin",
          },
        ],
      },
      { contact: "ceo@customer.example.com" },
    );
    const ex = await execution(id);
    const out = ex.steps[0].output;
    expect(ex.status).toBe("completed");
    // Monday 09:00: two days on is Wednesday.
    expect(out.proposed_slots).toEqual([
      { start: "2026-03-04T15:00:00.000Z", end: "2026-03-04T15:45:00.000Z" },
      { start: "2026-03-05T18:00:00.000Z", end: "2026-03-05T18:45:00.000Z" },
      { start: "2026-03-06T15:00:00.000Z", end: "2026-03-06T15:45:00.000Z" },
    ]);
    const [draft] = await draftsOf(runtime, id);
    expect(draft!.id).toBe(out.draft_id);
    expect(draft!.subject).toMatch(/^Invitation: .+ review$/);
    expect(draft!.text_body).toContain("Wed, Mar 4, 3:00 PM UTC");
    const [task] = await tasksOf(runtime, id);
    expect(task).toMatchObject({ id: out.task_id, task_type: "day_30_checkin", status: "pending" });
    const meta = JSON.parse(task!.metadata);
    expect(meta).toMatchObject({
      step_id: "meet",
      meeting: { draft_id: out.draft_id, duration_minutes: 45 },
    });
    const viaQueue = await runtime.queue.get(out.task_id);
    expect(viaQueue).toMatchObject({ customer_id: accountId, due_date: "2026-03-04T15:00:00.000Z" });
  });

  it("a task step queues a CSM task of its type, due in the days given, with the rendered note", async () => {
    const { id } = await start({
      name: "Task",
      steps: [
        {
          id: "prep",
          name: "Prep",
          type: "task",
          task_type: "renewal_prep",
          due_in_days: 5,
          note: "Prep {{customer.name}}",
        },
      ],
    });
    const ex = await execution(id);
    const [task] = await tasksOf(runtime, id);
    expect(ex.steps[0].output).toMatchObject({
      task_id: task!.id,
      task_type: "renewal_prep",
      due_date: "2026-03-07T09:00:00.000Z",
    });
    expect(JSON.parse(task!.metadata).note).toMatch(/^Prep /);
  });
});

describe("waits", () => {
  it("a duration wait sleeps in the store and the scheduler tick wakes it once it is over", async () => {
    const { id } = await start({
      name: "Wait a bit",
      steps: [
        { id: "before", name: "Before", type: "task", task_type: "renewal_prep" },
        { id: "nap", name: "Nap", type: "wait", duration: { days: 3 } },
        { id: "after", name: "After", type: "task", task_type: "day_30_checkin" },
      ],
    });
    let ex = await execution(id);
    expect(ex.status).toBe("waiting");
    expect(ex.wake_at).toBe("2026-03-05T09:00:00.000Z");
    expect(ex.steps.map((s: { status: string }) => s.status)).toEqual(["completed", "waiting", "pending"]);
    expect(ex.steps[1].wake_at).toBe("2026-03-05T09:00:00.000Z");

    const t0 = clock.now().getTime();
    clock.advance(2 * DAY);
    await tick();
    expect((await execution(id)).status).toBe("waiting");
    clock.advance(DAY + 60_000);
    const report = await tick();
    expect(report.woken).toBeGreaterThanOrEqual(1);
    ex = await execution(id);
    expect(ex.status).toBe("completed");
    expect(ex.steps[1].output).toMatchObject({ wake_at: "2026-03-05T09:00:00.000Z" });
    expect(ex.steps[2].started_at).toBe(new Date(t0 + 3 * DAY + 60_000).toISOString());
    clock.set(new Date(t0));
  });

  it("a wait until a date: renewal minus 60 days; a date already past goes straight on; no date is passed over", async () => {
    const future = await someAccount(runtime, "Active", accountIndex++);
    await patchAccount(runtime, future.id, { renewal_date: "2026-06-30" });
    const def = {
      name: "Until renewal",
      steps: [
        { id: "until", name: "Until", type: "wait", until: { anchor: "renewal_date", offset_days: -60 } },
        { id: "after", name: "After", type: "task", task_type: "renewal_prep" },
      ],
    };
    const { id, playbookId } = await start(def, { account: future.id });
    expect((await execution(id)).steps[0]).toMatchObject({
      status: "waiting",
      wake_at: "2026-05-01T00:00:00.000Z",
    });

    const past = await someAccount(runtime, "Active", accountIndex++);
    await patchAccount(runtime, past.id, { renewal_date: "2026-03-20" });
    const r2 = await post(`/v1/playbooks/${playbookId}/executions`, { account_id: past.id });
    await settle(runtime);
    const ex2 = await execution(r2.json().execution_id);
    expect(ex2.status).toBe("completed");
    expect(ex2.steps[0]).toMatchObject({ status: "completed", wake_at: "2026-01-19T00:00:00.000Z" });

    const none = await someAccount(runtime, "Active", accountIndex++);
    await patchAccount(runtime, none.id, { renewal_date: null });
    const r3 = await post(`/v1/playbooks/${playbookId}/executions`, { account_id: none.id });
    await settle(runtime);
    const ex3 = await execution(r3.json().execution_id);
    expect(ex3.steps[0]).toMatchObject({
      status: "skipped",
      output: { reason: "the account has no renewal_date" },
    });
    expect(ex3.path).toEqual(["until", "after"]);
    expect(ex3.steps[1].status).toBe("completed");
    await post(`/v1/playbook-executions/${id}/cancel`);
  });
});

describe("conditions", () => {
  const branchy = (condition: unknown, extra: Record<string, unknown>[] = []) => ({
    name: `Branch ${Math.random()}`,
    steps: [
      ...extra,
      { id: "check", name: "Check", type: "condition", condition, if_true: "yes", if_false: "no" },
      { id: "yes", name: "Yes", type: "task", task_type: "expansion_opportunity", next: "end" },
      { id: "no", name: "No", type: "task", task_type: "at_risk_recovery" },
    ],
  });

  it("branches on the health score, structured or as an expression, and tracks the branch", async () => {
    const low = await someAccount(runtime, "Active", accountIndex++);
    await patchAccount(runtime, low.id, { csm_health_score: 45 });
    const a = await start(branchy({ fact: "health_score", op: "gte", value: 60 }), { account: low.id });
    expect(await stepStatuses(runtime, a.id)).toEqual({
      check: "completed",
      yes: "skipped",
      no: "completed",
    });
    const exA = await execution(a.id);
    expect(exA.steps[0]).toMatchObject({
      branch: "else",
      output: {
        result: false,
        target: "no",
        trace: [{ fact: "health_score", actual: 45, expected: 60, result: false }],
      },
    });

    const high = await someAccount(runtime, "Active", accountIndex++);
    await patchAccount(runtime, high.id, { csm_health_score: 81, tier: "vip" });
    const b = await start(branchy('health_score >= 60 and account.tier in ["vip", "high_value"]'), {
      account: high.id,
    });
    expect(await stepStatuses(runtime, b.id)).toEqual({
      check: "completed",
      yes: "completed",
      no: "skipped",
    });
    expect((await execution(b.id)).steps[0].branch).toBe("then");
    // The path taken, for the execution view to show the branch.
    expect((await execution(a.id)).path).toEqual(["check", "no"]);
    expect((await execution(b.id)).path).toEqual(["check", "yes"]);
  });

  it("branches on a response received, set over the API while the execution waits", async () => {
    const wait = { id: "wait", name: "Wait", type: "wait", duration: { days: 2 } };
    const t0 = clock.now().getTime();
    const replied = await start(branchy("response_received", [wait]));
    const silent = await start(branchy("response_received", [wait]));
    const flagged = await post(`/v1/playbook-executions/${replied.id}/signals`, { response_received: true });
    expect(flagged.statusCode).toBe(200);
    expect(flagged.json().flags).toEqual({ response_received: true, meeting_held: false });
    expect((await post(`/v1/playbook-executions/${replied.id}/signals`, {})).statusCode).toBe(400);
    clock.advance(2 * DAY);
    await tick();
    expect(await stepStatuses(runtime, replied.id)).toMatchObject({ yes: "completed", no: "skipped" });
    expect(await stepStatuses(runtime, silent.id)).toMatchObject({ yes: "skipped", no: "completed" });
    // A finished execution takes no more signals.
    expect(
      (await post(`/v1/playbook-executions/${replied.id}/signals`, { meeting_held: true })).statusCode,
    ).toBe(409);
    clock.set(new Date(t0));
  });

  it("branches on a meeting held: its queue task completed, or the flag", async () => {
    const meet = {
      id: "meet",
      name: "Meet",
      type: "meeting",
      title: "Sync",
      agenda: "Sync",
      attendees: ["csm"],
      task_type: "day_30_checkin",
    };
    const wait = { id: "wait", name: "Wait", type: "wait", duration: { hours: 1 } };
    const t0 = clock.now().getTime();
    const held = await start(branchy({ fact: "meeting_held", op: "eq", value: true }, [meet, wait]));
    const notHeld = await start(branchy({ fact: "meeting_held", op: "eq", value: true }, [meet, wait]));
    const flagged = await start(branchy({ fact: "meeting_held", op: "eq", value: true }, [meet, wait]));
    const taskId = (await execution(held.id)).steps[0].output.task_id;
    // The CSM closes the meeting's task in the queue.
    await runtime.store.db
      .updateTable("csm_tasks")
      .set({ status: "completed" })
      .where("id", "=", taskId)
      .execute();
    await post(`/v1/playbook-executions/${flagged.id}/signals`, { meeting_held: true });
    clock.advance(2 * 3_600_000);
    await tick();
    expect(await stepStatuses(runtime, held.id)).toMatchObject({ yes: "completed", no: "skipped" });
    expect(await stepStatuses(runtime, notHeld.id)).toMatchObject({ yes: "skipped", no: "completed" });
    expect(await stepStatuses(runtime, flagged.id)).toMatchObject({ yes: "completed", no: "skipped" });
    clock.set(new Date(t0));
  });

  it("branches on the time elapsed since the start", async () => {
    const t0 = clock.now().getTime();
    const wait = { id: "wait", name: "Wait", type: "wait", duration: { days: 10 } };
    const r = await start(branchy("elapsed_days >= 7 and elapsed_hours >= 240", [wait]));
    clock.advance(10 * DAY);
    await tick();
    expect(await stepStatuses(runtime, r.id)).toMatchObject({ yes: "completed", no: "skipped" });
    expect((await execution(r.id)).steps[1].output.trace).toEqual([
      expect.objectContaining({ fact: "elapsed_days", actual: 10, result: true }),
      expect.objectContaining({ fact: "elapsed_hours", actual: 240, result: true }),
    ]);
    clock.set(new Date(t0));
  });
});

describe("agent actions", () => {
  it("dispatches the agent with the execution's context; the run's result is the step's output", async () => {
    const { id, accountId } = await start({
      name: "Ask an agent",
      steps: [
        {
          id: "note",
          name: "Note",
          type: "agent_action",
          agent_id: "test-notes",
          task: {
            type: "note",
            label: "ctx-{{execution.id}}",
            text: "{{customer.name}} / {{playbook.name}}",
          },
        },
      ],
    });
    const ex = await execution(id);
    expect(ex.status).toBe("completed");
    const out = ex.steps[0].output;
    expect(out).toMatchObject({ agent_id: "test-notes", status: "succeeded", run_id: `run_${id}_note_a1` });
    const account = await runtime.records.getAccount(accountId);
    expect(out.result).toMatchObject({ noted: `ctx-${id}`, text: `${account!.name} / Ask an agent` });
    const run = await get(`/v1/runs/${out.run_id}`);
    expect(run).toMatchObject({ agent_id: "test-notes", status: "succeeded", result: out.result });
    expect(noteCalls.get(`${accountId}:ctx-${id}`)).toBe(1);
  });

  it("works with each registered agent's own task types (account_id supplied by the execution)", async () => {
    const { id, accountId } = await start({
      name: "Three agents",
      steps: [
        {
          id: "cs",
          name: "cs",
          type: "agent_action",
          agent_id: "customer-success",
          task: { type: "assess_churn_risk" },
        },
        {
          id: "sales",
          name: "sales",
          type: "agent_action",
          agent_id: "sales",
          task: { type: "dispatch_tam_health_check", reason: "{{playbook.name}}" },
        },
        {
          id: "tam",
          name: "tam",
          type: "agent_action",
          agent_id: "tam",
          task: { type: "escalation_outreach" },
        },
      ],
    });
    const ex = await execution(id);
    expect(ex.steps.map((s: { output: { result: unknown } }) => s.output.result)).toEqual([
      expect.objectContaining({ handled_by: "customer-success", account_id: accountId }),
      expect.objectContaining({ handled_by: "sales", account_id: accountId }),
      expect.objectContaining({ handled_by: "tam", account_id: accountId }),
    ]);
  });

  it("a failing step is retried, then succeeds; its attempts are shown", async () => {
    failPlan.set("flaky", 2);
    const { id } = await start({
      name: "Flaky",
      steps: [
        {
          id: "note",
          name: "Note",
          type: "agent_action",
          agent_id: "test-notes",
          task: { type: "note", label: "flaky" },
        },
      ],
    });
    const ex = await execution(id);
    expect(ex.status).toBe("completed");
    expect(ex.steps[0]).toMatchObject({ status: "completed", attempts: 3, error: null });
    expect(ex.steps[0].output.run_id).toBe(`run_${id}_note_a3`);
    const failedRun = await get(`/v1/runs/run_${id}_note_a1`);
    expect(failedRun.status).not.toBe("succeeded");
  });

  it("a step that keeps failing is marked failed; on_failure stop ends the execution, the rest skipped", async () => {
    failPlan.set("doomed", 10);
    const { id } = await start({
      name: "Doomed",
      on_failure: "stop",
      steps: [
        {
          id: "note",
          name: "Note",
          type: "agent_action",
          agent_id: "test-notes",
          task: { type: "note", label: "doomed" },
          max_attempts: 2,
        },
        { id: "after", name: "After", type: "task", task_type: "renewal_prep" },
      ],
    });
    const ex = await execution(id);
    expect(ex.status).toBe("failed");
    expect(ex.end_reason).toMatch(/^step note failed: agent run .* ended partial/);
    expect(ex.steps[0]).toMatchObject({
      status: "failed",
      attempts: 2,
      error: expect.stringContaining("note doomed failed on purpose"),
    });
    expect(ex.steps[1].status).toBe("skipped");
    expect(await tasksOf(runtime, id)).toHaveLength(0);
  });

  it("on_failure continue (template or step) carries on after the failed step", async () => {
    failPlan.set("doomed2", 10);
    const { id } = await start({
      name: "Carry on",
      on_failure: "stop",
      steps: [
        {
          id: "note",
          name: "Note",
          type: "agent_action",
          agent_id: "test-notes",
          task: { type: "note", label: "doomed2" },
          max_attempts: 3,
          on_failure: "continue",
        },
        { id: "after", name: "After", type: "task", task_type: "renewal_prep" },
      ],
    });
    const ex = await execution(id);
    expect(ex.status).toBe("completed");
    expect(ex.steps.map((s: { status: string }) => s.status)).toEqual(["failed", "completed"]);
    expect(ex.steps[0].attempts).toBe(3);
  });

  it("a step that cannot render (no recipient) fails without retrying", async () => {
    const account = await someAccount(runtime, "Active", accountIndex++);
    await patchAccount(runtime, account.id, { account_executive: null });
    const { id } = await start(
      {
        name: "No AE",
        on_failure: "continue",
        steps: [
          { id: "ae", name: "AE", type: "email", to: "account_executive", subject: "x", body: "y" },
          { id: "after", name: "After", type: "task", task_type: "renewal_prep" },
        ],
      },
      { account: account.id },
    );
    const ex = await execution(id);
    expect(ex.steps[0]).toMatchObject({
      status: "failed",
      error: expect.stringMatching(/account executive/),
    });
    expect(ex.steps[1].status).toBe("completed");
  });
});

describe("agent action timeout", () => {
  it("an agent run that does not finish in time fails the attempt; the step fails after its attempts", async () => {
    // A runtime of its own, with a short agent timeout.
    const { runtime: rt } = await playbookRuntime({ env: { PLAYBOOK_AGENT_TIMEOUT_MS: "1000" } });
    let release = () => {};
    noteGates.set(
      "stuck",
      new Promise<void>((r) => {
        release = r;
      }),
    );
    try {
      const pb = await rt.playbooks.create(
        {
          name: "Stuck agent",
          on_failure: "continue",
          steps: [
            {
              id: "stuck",
              name: "Stuck",
              type: "agent_action",
              agent_id: "test-notes",
              task: { type: "note", label: "stuck" },
              max_attempts: 1,
            },
            { id: "after", name: "After", type: "task", task_type: "renewal_prep" },
          ],
        },
        "test",
        { publish: true },
      );
      const account = await someAccount(rt, "Active", 5);
      const { execution } = await rt.playbooks.engine.startExecution({
        playbook_id: pb.playbook_id,
        account_id: account.id,
        trigger: { type: "manual" },
      });
      await settle(rt);
      const ex = await rt.playbooks.execution(execution.execution_id);
      expect(ex.status).toBe("completed");
      expect(ex.steps[0]).toMatchObject({
        status: "failed",
        error: expect.stringMatching(/did not finish within 1000 ms/),
      });
      expect(ex.steps[1]?.status).toBe("completed");
    } finally {
      release();
      noteGates.delete("stuck");
      await rt.close({ graceMs: 0 });
    }
  });
});
