import type { FastifyInstance } from "fastify";
import { describe, expect, it } from "vitest";
import type { Runtime } from "../../src/runtime.js";
import { auth, KEYS } from "../helpers/runtime.js";
import { test } from "./fixture.js";
import { patchAccount, settle, someAccount } from "./helpers.js";

/**
 * Templates over the API: what a playbook builder and a customer page need, drafts and publishing, the
 * variable check at publish, the snapshot an execution keeps, the library, and a preview without side
 * effects.
 */

let runtime: Runtime;
let app: FastifyInstance;
test.beforeAll(({ runtime: r, app: a }) => {
  runtime = r;
  app = a;
});

const post = (url: string, payload?: object, key: string = KEYS.admin) =>
  app.inject({ method: "POST", url, headers: auth(key), ...(payload === undefined ? {} : { payload }) });
const put = (url: string, payload: object) => app.inject({ method: "PUT", url, headers: auth(), payload });
const get = (url: string, key: string = KEYS.reader) => app.inject({ url, headers: auth(key) });

/** A playbook with one step of every type, each configured (templates, recipients, delays, approvals). */
const everyStepType = () => ({
  name: "Every step type",
  description: "Builder round trip",
  priority: 60,
  on_failure: "continue",
  triggers: [
    { type: "manual" },
    { type: "time", anchor: "renewal_date", when: "before", days: 90 },
    { type: "time", anchor: "signup_date", when: "after", days: 30 },
    { type: "event", event: "churn.risk_flagged", min_level: "high" },
    { type: "event", event: "tam.escalation_raised" },
    { type: "event", event: "health_drop", min_drop: 15 },
    { type: "event", event: "champion_left" },
    { type: "condition", condition: { fact: "health_score", op: "lt", value: 60 } },
    { type: "condition", condition: "usage_change_pct <= -20", cooldown_days: 14 },
  ],
  steps: [
    {
      id: "hello",
      name: "Hello",
      type: "email",
      require_approval: true,
      to: "customer",
      cc: ["csm", "account_executive"],
      subject: "Hello {{customer.name}}",
      body: "Hi {{contact.name}},\n\nYour renewal is on {{renewal_date}}.\n\n{{csm.name}}",
    },
    {
      id: "kickoff",
      name: "Kickoff",
      type: "meeting",
      title: "{{customer.name}} kickoff",
      agenda: "Goals",
      attendees: ["customer", "csm"],
      duration_minutes: 45,
      slots: { count: 2, earliest_in_days: 1, hours_utc: [16] },
      task_type: "day_30_checkin",
    },
    {
      id: "prep",
      name: "Prep",
      type: "task",
      task_type: "renewal_prep",
      due_in_days: 3,
      note: "For {{customer.name}}",
    },
    { id: "pause", name: "Pause", type: "wait", duration: { days: 2, hours: 4 } },
    { id: "until", name: "Until", type: "wait", until: { anchor: "renewal_date", offset_days: -60 } },
    {
      id: "healthy",
      name: "Healthy?",
      type: "condition",
      condition: "health_score >= 70 and not response_received",
      if_true: "scan",
      if_false: "end",
    },
    {
      id: "scan",
      name: "Scan",
      type: "agent_action",
      agent_id: "test-notes",
      task: { type: "note", label: "{{customer.name}} in {{playbook.name}}" },
      max_attempts: 2,
      on_failure: "stop",
    },
  ],
});

describe("playbook templates over the API", () => {
  it("saves a playbook with every step type as a draft, then publishes it", async () => {
    const created = await post("/v1/playbooks", everyStepType());
    expect(created.statusCode).toBe(201);
    const pb = created.json();
    expect(pb).toMatchObject({
      name: "Every step type",
      description: "Builder round trip",
      status: "draft",
      priority: 60,
      on_failure: "continue",
      published_at: null,
      created_by: "admin",
    });
    expect(pb.triggers).toHaveLength(9);
    expect(pb.steps.map((s: { type: string }) => s.type)).toEqual([
      "email",
      "meeting",
      "task",
      "wait",
      "wait",
      "condition",
      "agent_action",
    ]);
    // Step parameters and the per-step approval setting come back as configured, defaults filled in.
    expect(pb.steps[0]).toMatchObject({
      require_approval: true,
      on_reject: "skip",
      cc: ["csm", "account_executive"],
    });
    expect(pb.steps[1]).toMatchObject({ require_approval: false, duration_minutes: 45, slots: { count: 2 } });
    expect(pb.steps[3].duration).toEqual({ days: 2, hours: 4 });
    // The expression is stored in its structured form.
    expect(pb.steps[5].condition).toEqual({
      all: [
        { fact: "health_score", op: "gte", value: 70 },
        { not: { fact: "response_received", op: "eq", value: true } },
      ],
    });
    expect(pb.triggers[8].condition).toEqual({ fact: "usage_change_pct", op: "lte", value: -20 });
    // The flow as edges, for the builder to draw the branches.
    expect(pb.edges).toEqual([
      { from: "hello", to: "kickoff", when: null },
      { from: "kickoff", to: "prep", when: null },
      { from: "prep", to: "pause", when: null },
      { from: "pause", to: "until", when: null },
      { from: "until", to: "healthy", when: null },
      { from: "healthy", to: "scan", when: "then" },
      { from: "healthy", to: "end", when: "else" },
      { from: "scan", to: "end", when: null },
    ]);

    // A draft does not run.
    const account = await someAccount(runtime);
    const early = await post(`/v1/playbooks/${pb.playbook_id}/executions`, { account_id: account.id });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toMatch(/draft; publish it/);

    const published = await post(`/v1/playbooks/${pb.playbook_id}/publish`);
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({ status: "published", published_at: expect.any(String) });
    const list = (await get("/v1/playbooks?status=published")).json().playbooks;
    expect(list.map((p: { playbook_id: string }) => p.playbook_id)).toContain(pb.playbook_id);
    expect((await get(`/v1/playbooks/${pb.playbook_id}`)).json().links.preview).toBe(
      `/v1/playbooks/${pb.playbook_id}/preview`,
    );

    // Back to draft, then archived: gone from the list and from GET.
    expect((await post(`/v1/playbooks/${pb.playbook_id}/unpublish`)).json().status).toBe("draft");
    expect(
      (await app.inject({ method: "DELETE", url: `/v1/playbooks/${pb.playbook_id}`, headers: auth() }))
        .statusCode,
    ).toBe(200);
    expect((await get(`/v1/playbooks/${pb.playbook_id}`)).statusCode).toBe(404);
  });

  it("creates and publishes in one call with ?publish=true; a reader may not write", async () => {
    const res = await post("/v1/playbooks?publish=true", {
      name: "One call",
      steps: [{ id: "t", name: "t", type: "task", task_type: "renewal_prep" }],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().status).toBe("published");
    const denied = await post("/v1/playbooks", { name: "x", steps: [] }, KEYS.reader);
    expect(denied.statusCode).toBe(403);
  });

  it("refuses a malformed template with a 400 naming the field: unknown fields, backward jumps, eval-like conditions", async () => {
    const unknownField = await post("/v1/playbooks", {
      name: "x",
      steps: [{ id: "a", name: "a", type: "task", task_type: "renewal_prep", colour: "red" }],
    });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().error.message).toMatch(/^body\.steps/);

    const backward = await post("/v1/playbooks", {
      name: "x",
      steps: [
        { id: "a", name: "a", type: "task", task_type: "renewal_prep" },
        { id: "b", name: "b", type: "task", task_type: "renewal_prep", next: "a" },
      ],
    });
    expect(backward.statusCode).toBe(400);
    expect(backward.json().error.details.map((d: { message: string }) => d.message)).toContain(
      '"a" is not after this step: jumps go forward only',
    );

    for (const condition of [
      "process.exit(1)",
      "health_score < 60; drop table",
      "require('fs')",
      "health_score = 1",
    ]) {
      const res = await post("/v1/playbooks", {
        name: "x",
        steps: [{ id: "c", name: "c", type: "condition", condition, if_true: "end", if_false: "end" }],
      });
      expect(res.statusCode, condition).toBe(400);
    }
  });

  it("refuses an unknown variable at publish with a 422 listing every problem; the draft is kept", async () => {
    const def = {
      name: "Typos",
      steps: [
        {
          id: "a",
          name: "a",
          type: "email",
          to: "customer",
          subject: "Hi {{customer.nmae}}",
          body: "{{csm.phone}}",
        },
        { id: "b", name: "b", type: "agent_action", agent_id: "ghost", task: { type: "x" } },
      ],
    };
    const draft = await post("/v1/playbooks", def);
    expect(draft.statusCode).toBe(201);
    const id = draft.json().playbook_id;
    const res = await post(`/v1/playbooks/${id}/publish`);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details.problems).toEqual([
      { path: "steps.0(a).subject", message: "unknown variable {{customer.nmae}}" },
      { path: "steps.0(a).body", message: "unknown variable {{csm.phone}}" },
      expect.objectContaining({ path: "steps.1(b).agent_id" }),
    ]);
    expect((await get(`/v1/playbooks/${id}`)).json().status).toBe("draft");
    expect((await post("/v1/playbooks?publish=true", def)).statusCode).toBe(422);

    // A published playbook stays publishable: an edit that breaks it is refused and changes nothing.
    const good = await post("/v1/playbooks?publish=true", {
      name: "Good",
      steps: [{ id: "a", name: "a", type: "email", to: "csm", subject: "Hi {{customer.name}}", body: "ok" }],
    });
    const goodId = good.json().playbook_id;
    const broken = await put(`/v1/playbooks/${goodId}`, {
      name: "Good",
      steps: [
        { id: "a", name: "a", type: "email", to: "csm", subject: "Hi {{customer.nickname}}", body: "ok" },
      ],
    });
    expect(broken.statusCode).toBe(422);
    expect((await get(`/v1/playbooks/${goodId}`)).json().steps[0].subject).toBe("Hi {{customer.name}}");
  });

  it("lists the variables and helpers a template may use", async () => {
    const res = (await get("/v1/playbooks/variables")).json();
    const names = res.variables.map((v: { name: string }) => v.name);
    expect(names).toEqual(expect.arrayContaining(["{{customer.name}}", "{{csm.name}}", "{{renewal_date}}"]));
    expect(res.helpers.map((h: { name: string }) => h.name)).toEqual([
      "format_date",
      "currency",
      "percent",
      "default",
    ]);
  });

  it("editing a template in place never changes a running execution: it keeps its snapshot", async () => {
    const account = await someAccount(runtime, "Active", 1);
    const created = await post("/v1/playbooks?publish=true", {
      name: "Snapshot v1",
      steps: [
        {
          id: "ask",
          name: "Ask",
          type: "email",
          require_approval: true,
          to: "csm",
          subject: "v1 {{customer.name}}",
          body: "first version",
        },
        { id: "after", name: "After", type: "task", task_type: "renewal_prep", note: "v1 note" },
      ],
    });
    const pbId = created.json().playbook_id;
    const started = await post(`/v1/playbooks/${pbId}/executions`, { account_id: account.id });
    expect(started.statusCode).toBe(201);
    const exId = started.json().execution_id;
    await settle(runtime);

    const edited = await put(`/v1/playbooks/${pbId}`, {
      name: "Snapshot v2",
      steps: [
        {
          id: "ask",
          name: "Ask",
          type: "email",
          require_approval: false,
          to: "csm",
          subject: "v2 {{customer.name}}",
          body: "second version",
        },
        { id: "extra", name: "Extra", type: "wait", duration: { days: 30 } },
      ],
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().name).toBe("Snapshot v2");

    const [approval] = (await get(`/v1/approvals?execution_id=${exId}`)).json().approvals;
    expect(approval.request.action.subject).toBe(`v1 ${account.name}`);
    expect((await post(`/v1/approvals/${approval.approval_id}`, { decision: "approve" })).statusCode).toBe(
      200,
    );
    await settle(runtime);

    const ex = (await get(`/v1/playbook-executions/${exId}`)).json();
    expect(ex.playbook_name).toBe("Snapshot v1");
    expect(ex.status).toBe("completed");
    expect(ex.steps.map((s: { step_id: string; status: string }) => [s.step_id, s.status])).toEqual([
      ["ask", "completed"],
      ["after", "completed"],
    ]);
    const draft = await runtime.store.db
      .selectFrom("outbox_drafts")
      .selectAll()
      .where("id", "=", ex.steps[0].output.draft_id)
      .executeTakeFirstOrThrow();
    expect(draft.subject).toBe(`v1 ${account.name}`);
    expect(draft.text_body).toBe("first version");

    // A new execution takes the edited template.
    const second = await post(`/v1/playbooks/${pbId}/executions`, { account_id: account.id });
    expect(second.json()).toMatchObject({ created: true, playbook_name: "Snapshot v2" });
    expect(second.json().steps.map((s: { step_id: string }) => s.step_id)).toEqual(["ask", "extra"]);
  });
});

describe("the pre-built library", () => {
  it("offers onboarding, at-risk, renewal and expansion with their stages", async () => {
    const lib = (await get("/v1/playbooks/library")).json().library;
    expect(lib.map((e: { key: string }) => e.key)).toEqual(["onboarding", "at_risk", "renewal", "expansion"]);
    const steps = (key: string) =>
      lib.find((e: { key: string }) => e.key === key).steps.map((s: { id: string }) => s.id);
    // kickoff -> training -> 30-day check-in -> 60-day review
    expect(steps("onboarding")).toEqual(
      expect.arrayContaining(["kickoff_email", "training_plan", "day_30_checkin", "day_60_review"]),
    );
    // detection -> outreach -> escalation -> save plan
    expect(steps("at_risk")).toEqual(
      expect.arrayContaining(["assess_risk", "outreach", "escalate", "save_plan_meeting"]),
    );
    // 90-day prep -> QBR -> proposal -> negotiation -> close
    expect(steps("renewal")).toEqual(
      expect.arrayContaining(["renewal_prep", "qbr", "proposal", "negotiation_brief", "close_checklist"]),
    );
    // opportunity identified -> demo -> proposal -> close
    expect(steps("expansion")).toEqual(
      expect.arrayContaining(["identify", "demo", "proposal", "close_handoff"]),
    );
    const full = (await get("/v1/playbooks/library/renewal")).json();
    expect(full.steps.find((s: { id: string }) => s.id === "proposal").body).toContain("{{");
    expect((await get("/v1/playbooks/library/nope")).statusCode).toBe(404);
  });

  it("imports each one as the team's draft, which publishes as is", async () => {
    for (const key of ["onboarding", "at_risk", "renewal", "expansion"]) {
      const imported = await post(`/v1/playbooks/library/${key}/import`, {});
      expect(imported.statusCode, key).toBe(201);
      expect(imported.json()).toMatchObject({ status: "draft", library_key: key });
      const published = await post(`/v1/playbooks/${imported.json().playbook_id}/publish`);
      expect(published.statusCode, JSON.stringify(published.json())).toBe(200);
    }
  });

  it("customizes on import and by editing, and the customized copy runs; the library is unchanged", async () => {
    const imported = await post("/v1/playbooks/library/at_risk/import", {
      name: "Our save play",
      priority: 95,
    });
    const pb = imported.json();
    expect(pb).toMatchObject({ name: "Our save play", priority: 95, library_key: "at_risk" });
    const steps = pb.steps.map((s: Record<string, unknown>) =>
      s.id === "outreach" ? { ...s, subject: "{{customer.name}}: a quick call with {{csm.first_name}}?" } : s,
    );
    const edited = await put(`/v1/playbooks/${pb.playbook_id}`, { ...strip(pb), steps });
    expect(edited.statusCode).toBe(200);
    expect((await post(`/v1/playbooks/${pb.playbook_id}/publish`)).statusCode).toBe(200);

    const account = await someAccount(runtime, "Active", 2);
    const started = await post(`/v1/playbooks/${pb.playbook_id}/executions`, {
      account_id: account.id,
      contact_email: "champion@customer.example.com",
    });
    expect(started.statusCode).toBe(201);
    await settle(runtime);
    const approvals = (await get(`/v1/approvals?execution_id=${started.json().execution_id}`)).json()
      .approvals;
    expect(approvals[0]).toMatchObject({ step_id: "outreach", status: "pending" });
    expect(approvals[0].request.action.subject).toMatch(
      new RegExp(`^${escapeRegExp(account.name)}: a quick call with `),
    );
    await post(`/v1/playbook-executions/${started.json().execution_id}/cancel`, {});

    const lib = (await get("/v1/playbooks/library/at_risk")).json();
    expect(lib.name).toBe("At-risk customer save");
    expect(lib.steps.find((s: { id: string }) => s.id === "outreach").subject).not.toContain("quick call");
  });
});

describe("preview", () => {
  it("renders every step for a customer with its variables, the path it would take, and no side effects", async () => {
    const account = await someAccount(runtime, "Active", 3);
    await patchAccount(runtime, account.id, {
      renewal_date: "2026-09-30",
      csm_health_score: 82,
      champion: "Dana Diaz",
    });
    const created = await post("/v1/playbooks?publish=true", everyStepType());
    const pbId = created.json().playbook_id;

    const count = async () => ({
      drafts: (
        await runtime.store.db
          .selectFrom("outbox_drafts")
          .select((e) => e.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
      tasks: (
        await runtime.store.db
          .selectFrom("csm_tasks")
          .select((e) => e.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
      runs: (
        await runtime.store.db
          .selectFrom("runs")
          .select((e) => e.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
      executions: (
        await runtime.store.db
          .selectFrom("playbook_executions")
          .select((e) => e.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
      approvals: (
        await runtime.store.db
          .selectFrom("approvals")
          .select((e) => e.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
      events: (
        await runtime.store.db
          .selectFrom("events")
          .select((e) => e.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    });
    await settle(runtime);
    const before = await count();
    const res = await post(
      `/v1/playbooks/${pbId}/preview`,
      {
        account_id: account.id,
        contact_email: "dana@customer.example.com",
      },
      KEYS.reader,
    );
    expect(res.statusCode).toBe(200);
    await settle(runtime);
    expect(await count()).toEqual(before);

    const p = res.json();
    expect(p).toMatchObject({ account_id: account.id, account_name: account.name, problems: [] });
    expect(p.path).toEqual(["hello", "kickoff", "prep", "pause", "until", "healthy", "scan"]);
    const step = (id: string) => p.steps.find((s: { step_id: string }) => s.step_id === id);
    expect(step("hello").rendered).toMatchObject({
      type: "email",
      to: "dana@customer.example.com",
      subject: `Hello ${account.name}`,
    });
    expect(step("hello").rendered.text).toContain("Hi Dana Diaz,");
    expect(step("hello").rendered.text).toContain("Your renewal is on September 30, 2026.");
    expect(step("hello").require_approval).toBe(true);
    expect(step("kickoff").rendered.proposed_slots).toHaveLength(2);
    expect(step("kickoff").rendered.task.task_type).toBe("day_30_checkin");
    expect(step("prep").rendered.note).toBe(`For ${account.name}`);
    // The wait until 60 days before renewal, and the steps after it are rendered as of then.
    expect(step("until").wait.wake_at).toBe("2026-08-01T00:00:00.000Z");
    expect(step("healthy").runs_at).toBe("2026-08-01T00:00:00.000Z");
    expect(step("healthy").condition).toMatchObject({ result: true, branch: "then", target: "scan" });
    expect(step("healthy").description).toBe(
      "if health_score >= 70 and not (response_received == true) then go to scan, else to end",
    );
    expect(step("scan").rendered.task).toEqual({
      type: "note",
      account_id: account.id,
      label: `${account.name} in Every step type`,
    });
    expect(p.estimated_completion_at).toBe("2026-08-01T00:00:00.000Z");

    expect((await post(`/v1/playbooks/${pbId}/preview`, { account_id: "acc_nope" })).statusCode).toBe(404);
  });

  it("shows the other branch when the condition is false, and a step that cannot render says why", async () => {
    const account = await someAccount(runtime, "Active", 4);
    await patchAccount(runtime, account.id, { csm_health_score: 40, account_executive: null });
    const created = await post("/v1/playbooks?publish=true", {
      name: "Branchy",
      steps: [
        {
          id: "check",
          name: "check",
          type: "condition",
          condition: "health_score < 60",
          if_true: "save",
          if_false: "grow",
        },
        {
          id: "save",
          name: "save",
          type: "email",
          to: "account_executive",
          subject: "Save {{customer.name}}",
          body: "x",
          next: "end",
        },
        { id: "grow", name: "grow", type: "task", task_type: "expansion_opportunity" },
      ],
    });
    const p = (
      await post(`/v1/playbooks/${created.json().playbook_id}/preview`, { account_id: account.id })
    ).json();
    expect(p.path).toEqual(["check", "save"]);
    expect(p.steps[0].condition.trace).toEqual([
      { fact: "health_score", op: "lt", expected: 60, actual: 40, result: true },
    ]);
    expect(p.steps[1]).toMatchObject({
      on_path: true,
      rendered: null,
      error: expect.stringMatching(/account executive/),
    });
    expect(p.steps[2]).toMatchObject({ on_path: false, runs_at: null });
  });
});

function strip(pb: Record<string, unknown>) {
  const { name, description, priority, on_failure, triggers } = pb;
  return { name, description, priority, on_failure, triggers };
}

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
