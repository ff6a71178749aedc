/**
 * The queue's end-to-end scenarios over the API (ordering, task to playbook to completion, quality gates,
 * weekly outcomes), plus generation idempotency, the concurrent-complete race and the 403/409/422 answers.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CALL_PLAYBOOKS } from "../../../src/queue/catalog.js";
import { encodeHealthDetail, type HealthDetail } from "../../../src/store/health-detail.js";
import { auth, KEYS } from "../../helpers/runtime.js";
import { DAVID, harness, MAYA, NOW, type QueueHarness } from "../../queue/fixtures.js";

interface QueueItem {
  id: number;
  customer_id: string;
  task_type: string;
  priority: string;
  priority_score: number;
  status: string;
  csm_id: string;
}

describe("CSM task queue API", () => {
  let h: QueueHarness;
  beforeEach(async () => {
    h = await harness();
  });
  afterEach(async () => {
    await h.close();
  });

  const get = (url: string, key: string = KEYS.maya) =>
    h.app.inject({ method: "GET", url, headers: auth(key) });
  const post = (url: string, payload: object = {}, key: string = KEYS.maya) =>
    h.app.inject({ method: "POST", url, headers: auth(key), payload });
  const generate = () => post("/v1/cs/csm-tasks/generate", {}, KEYS.admin);
  const queue = async (query = "", key: string = KEYS.maya) => {
    const res = await get(`/v1/cs/csm-tasks/queue${query}`, key);
    expect(res.statusCode).toBe(200);
    return res.json() as { items: QueueItem[]; total: number; next_cursor: string | null };
  };
  const taskOf = async (type: string) => {
    const q = await queue(`?task_type=${type}`);
    expect(q.items).toHaveLength(1);
    return q.items[0]!;
  };

  it("generates one task per rule, and a second run creates nothing", async () => {
    const first = await generate();
    expect(first.statusCode).toBe(200);
    const body = first.json();
    expect(body.tasks_created).toBe(7);
    expect(body.created.map((c: { task_type: string }) => c.task_type).sort()).toEqual(
      [
        "at_risk_recovery",
        "at_risk_recovery",
        "day_30_checkin",
        "health_score_drop",
        "nps_detractor_followup",
        "onboarding_stall",
        "renewal_prep",
      ].sort(),
    );
    // Due date = now + the type's SLA; priority = the type's default.
    const rows = await h.runtime.store.db
      .selectFrom("csm_tasks")
      .select(["task_type", "due_date", "priority"])
      .execute();
    const types = new Map((await h.runtime.queue.taskTypes()).map((t) => [t.slug, t]));
    for (const r of rows) {
      const type = types.get(r.task_type as never)!;
      expect(r.due_date).toBe(new Date(Date.parse(NOW) + type.sla_hours * 3_600_000).toISOString());
      expect(r.priority).toBe(type.default_priority);
    }
    const second = (await generate()).json();
    expect(second).toMatchObject({
      tasks_created: 0,
      tasks_skipped: 7,
      skipped_reasons: { open_task_exists: 7 },
    });
    expect(
      await h.runtime.store.db
        .selectFrom("csm_tasks")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow(),
    ).toEqual({ n: 7 });
  });

  it("a CSM's generate covers only their own customers", async () => {
    const res = await post("/v1/cs/csm-tasks/generate");
    expect(res.json().tasks_created).toBe(6);
    const owners = await h.runtime.store.db.selectFrom("csm_tasks").select("csm_id").distinct().execute();
    expect(owners).toEqual([{ csm_id: MAYA }]);
    // Naming another CSM needs cs:team.
    expect((await post("/v1/cs/csm-tasks/generate", { csm_id: DAVID })).statusCode).toBe(403);
    expect((await post("/v1/cs/csm-tasks/generate", { csm_id: DAVID }, KEYS.lead)).json().tasks_created).toBe(
      1,
    );
  });

  it("the queue is sorted by priority_score, urgent tasks at the top", async () => {
    await generate();
    const q = await queue();
    expect(q.total).toBe(6);
    expect(q.items.every((t) => t.csm_id === MAYA)).toBe(true);
    const scores = q.items.map((t) => t.priority_score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const priorities = q.items.map((t) => t.priority);
    const lastUrgent = priorities.lastIndexOf("urgent");
    const firstOther = priorities.findIndex((p) => p !== "urgent");
    expect(lastUrgent).toBeLessThan(firstOther);
    expect(priorities.slice(0, 4)).toEqual(["urgent", "urgent", "urgent", "urgent"]);
  });

  it("shows the latest scan's score breakdown in the customer context, as the scan stored it", async () => {
    const detail: HealthDetail = {
      breakdown: [
        { signal: "feature_adoption", value: 0.3, sub_score: 0.3, weight: 15, points: 4.5, max_points: 15 },
        {
          signal: "usage_trend",
          value: "declining",
          sub_score: 0.2,
          weight: 12,
          points: 2.4,
          max_points: 12,
        },
      ],
      missing_signals: [],
      data_completeness: 1,
      confidence: "high",
      top_drivers: ["feature_adoption", "usage_trend"],
      tam_multiplier: 1,
      trend: { change_since_previous: -15, slope_30d: -1.5, direction: "falling_fast" },
      churn: {
        level: "medium",
        contract_proximity: false,
        behavioural: false,
        reasons: ["x"],
        should_alert: true,
        alert_reasons: ["y"],
      },
      previous_score: 67,
      previous_rag: "GREEN",
      open_tickets: 0,
      tam_escalations: 0,
    };
    await h.runtime.store.db
      .updateTable("health_history")
      .set({ detail: encodeHealthDetail(detail) })
      .where("account_id", "=", "acc_drop")
      .where("at", "=", "2026-03-18T07:00:00.000Z")
      .execute();
    await generate();
    const task = await taskOf("health_score_drop");
    const d = (await get(`/v1/cs/csm-tasks/${task.id}`)).json();
    expect(d.customer.context.score_breakdown).toEqual(detail.breakdown);
  });

  it("task -> playbook and customer context -> complete removes it from the queue", async () => {
    await generate();
    const top = (await queue()).items[0]!;
    const detail = await get(`/v1/cs/csm-tasks/${top.id}`);
    expect(detail.statusCode).toBe(200);
    const d = detail.json();
    const playbook = CALL_PLAYBOOKS[top.task_type as keyof typeof CALL_PLAYBOOKS];
    expect(d.playbook).toMatchObject({
      name: playbook.name,
      objective: playbook.objective,
      opening_script: playbook.opening_script,
      key_questions: playbook.key_questions,
    });
    expect(d.playbook.objection_handlers).toEqual(playbook.objection_handlers);
    expect(d.customer).toMatchObject({
      id: top.customer_id,
      name: `Customer ${top.customer_id}`,
      arr: expect.any(Number),
    });
    expect(Object.keys(d.customer.context).sort()).toEqual([...playbook.context_fields].sort());
    expect(d.allowed_actions).toEqual(["start", "snooze", "reschedule"]);

    expect((await post(`/v1/cs/csm-tasks/${top.id}/start`)).json().task.status).toBe("in_progress");
    const gates = Object.fromEntries(
      playbook.quality_gates
        .filter((g) => g.required)
        .map((g) => [
          g.id,
          g.gate_type === "boolean"
            ? true
            : g.gate_type === "rating"
              ? 4
              : g.gate_type === "select"
                ? g.options![0]
                : "ok",
        ]),
    );
    const done = await post(`/v1/cs/csm-tasks/${top.id}/complete`, {
      outcome_type: "connected",
      objective_achieved: "yes",
      sentiment: "positive",
      quality_gates: gates,
      notes: "Walked through it together.",
      next_action: { notes: "Send recap", date: "2026-03-20T10:00:00Z" },
    });
    expect(done.statusCode).toBe(200);
    expect(done.json().task).toMatchObject({
      status: "completed",
      outcome_type: "completed",
      sentiment: "positive",
    });
    expect(done.json().outcome).toMatchObject({
      action: "complete",
      outcome_type: "connected",
      objective_achieved: "yes",
    });

    const after = await queue();
    expect(after.total).toBe(5);
    expect(after.items.map((t) => t.id)).not.toContain(top.id);
  });

  it("required quality gates are refused with a 422 naming them, then accepted", async () => {
    await generate();
    const task = await taskOf("at_risk_recovery");
    await post(`/v1/cs/csm-tasks/${task.id}/start`);

    const missing = await post(`/v1/cs/csm-tasks/${task.id}/complete`, {
      objective_achieved: "yes",
      quality_gates: { root_cause_identified: true, customer_retained: "Maybe" },
    });
    expect(missing.statusCode).toBe(422);
    const err = missing.json().error;
    expect(err.code).toBe("quality_gates_failed");
    expect(err.details.gates).toEqual([
      {
        gate: "primary_risk_factor",
        code: "missing",
        problem: expect.stringContaining("primary risk factor"),
      },
      { gate: "recovery_action_taken", code: "missing", problem: expect.any(String) },
      { gate: "customer_retained", code: "invalid", problem: expect.stringContaining('"Yes - saved"') },
    ]);
    for (const g of ["primary_risk_factor", "recovery_action_taken", "customer_retained"]) {
      expect(err.message).toContain(g);
    }
    // Refused: nothing recorded, still in progress.
    expect((await get(`/v1/cs/csm-tasks/${task.id}`)).json().task.status).toBe("in_progress");
    expect((await get(`/v1/cs/csm-tasks/${task.id}`)).json().outcomes).toEqual([]);

    const ok = await post(`/v1/cs/csm-tasks/${task.id}/complete`, {
      objective_achieved: "yes",
      quality_gates: {
        root_cause_identified: true,
        primary_risk_factor: "Low usage",
        recovery_action_taken: true,
        customer_retained: "Yes - saved",
      },
    });
    expect(ok.statusCode).toBe(200);
  });

  it("rejects gate answers of the wrong type: rating 1-5, select within options, unknown gates", async () => {
    await generate();
    const task = await taskOf("nps_detractor_followup");
    await post(`/v1/cs/csm-tasks/${task.id}/start`);
    const res = await post(`/v1/cs/csm-tasks/${task.id}/complete`, {
      objective_achieved: "partial",
      quality_gates: {
        reason_identified: "yes",
        detractor_reason: "Other",
        corrective_action_agreed: true,
        sentiment_after_call: 6,
        favourite_colour: "blue",
      },
    });
    expect(res.statusCode).toBe(422);
    expect(
      res.json().error.details.gates.map((g: { gate: string; code: string }) => `${g.gate}:${g.code}`),
    ).toEqual(["reason_identified:invalid", "sentiment_after_call:invalid", "favourite_colour:unknown"]);
  });

  it("weekly outcomes reflect three newly completed tasks", async () => {
    await generate();
    const before = (await get("/v1/cs/csm-tasks/outcomes/weekly")).json();
    expect(before).toMatchObject({
      csm_id: MAYA,
      week_start: "2026-03-16T00:00:00.000Z",
      week_end: "2026-03-23T00:00:00.000Z",
      onboarding_completions: { actual: 0, goal: 3 },
      at_risk_saves: { actual: 0, goal: 2 },
      renewals_secured: { amount: 0, count: 0 },
      activity: { calls: 0, emails: 0, tasks: 0 },
      trend_vs_last_week: 0,
    });

    const complete = async (type: string, gates: Record<string, unknown>, channel = "call") => {
      const t = await taskOf(type);
      await post(`/v1/cs/csm-tasks/${t.id}/start`);
      const res = await post(`/v1/cs/csm-tasks/${t.id}/complete`, {
        objective_achieved: "yes",
        sentiment: "positive",
        quality_gates: gates,
        channel,
      });
      expect(res.statusCode).toBe(200);
    };
    await complete("onboarding_stall", { missing_step_completed: true, follow_up_scheduled: true });
    await complete("at_risk_recovery", {
      root_cause_identified: true,
      primary_risk_factor: "Support issues",
      recovery_action_taken: true,
      customer_retained: "Yes - saved",
    });
    await complete(
      "renewal_prep",
      {
        decision_maker_confirmed: true,
        timeline_confirmed: true,
        renewal_likelihood: "Committed",
        expansion_discussed: false,
        next_step_scheduled: true,
      },
      "email",
    );

    const after = (await get("/v1/cs/csm-tasks/outcomes/weekly")).json();
    expect(after).toMatchObject({
      onboarding_completions: { actual: 1, goal: 3 },
      at_risk_saves: { actual: 1, goal: 2 },
      renewals_secured: { amount: 48_000, count: 1 },
      expansion_pipeline: { amount: 0, count: 0 },
      activity: { calls: 2, emails: 1, tasks: 3 },
      objectives_achieved: { this_week: 3, last_week: 0 },
      trend_vs_last_week: 100,
    });

    // The manager's view counts them for Maya and in the team totals.
    const team = await get("/v1/cs/csm-tasks/outcomes/team", KEYS.lead);
    expect(team.statusCode).toBe(200);
    const maya = team.json().members.find((m: { csm_id: string }) => m.csm_id === MAYA);
    expect(maya).toMatchObject({ at_risk_saves: { actual: 1 }, open_tasks: 3 });
    expect(team.json().team).toMatchObject({ members: 2, open_tasks: 4, activity: { tasks: 3 } });
    expect((await get("/v1/cs/csm-tasks/outcomes/team")).statusCode).toBe(403);
  });

  it("weekly and team outcomes: the trend against last week, per CSM and for the team", async () => {
    const q = h.runtime.queue;
    /** Every required gate answered validly (the first option of a select: "Yes - saved", "Committed"). */
    const gatesOf = (type: keyof typeof CALL_PLAYBOOKS) =>
      Object.fromEntries(
        CALL_PLAYBOOKS[type].quality_gates
          .filter((g) => g.required)
          .map((g) => [
            g.id,
            g.gate_type === "boolean" ? true : g.gate_type === "rating" ? 4 : (g.options?.[0] ?? "ok"),
          ]),
      );
    const work = async (customer: string, type: keyof typeof CALL_PLAYBOOKS, key: string) => {
      const { task } = await q.createTask({ customer_id: customer, task_type: type, source: "test" });
      expect((await post(`/v1/cs/csm-tasks/${task.id}/start`, {}, key)).statusCode).toBe(200);
      const res = await post(
        `/v1/cs/csm-tasks/${task.id}/complete`,
        { objective_achieved: "yes", quality_gates: gatesOf(type) },
        key,
      );
      expect(res.statusCode).toBe(200);
    };
    // Last week (Wednesday 11 March): Maya achieves two objectives, David one.
    h.clock.set("2026-03-11T10:00:00Z");
    await work("acc_risk", "at_risk_recovery", KEYS.maya);
    await work("acc_quiet", "day_90_qbr", KEYS.maya);
    await work("acc_david", "at_risk_recovery", KEYS.lead);
    // This week: Maya one, David two.
    h.clock.set("2026-03-18T10:00:00Z");
    await work("acc_renew", "renewal_prep", KEYS.maya);
    await work("acc_david", "day_90_qbr", KEYS.lead);
    await work("acc_david", "renewal_prep", KEYS.lead);

    const maya = (await get("/v1/cs/csm-tasks/outcomes/weekly")).json();
    expect(maya).toMatchObject({
      csm_id: MAYA,
      at_risk_saves: { actual: 0 },
      renewals_secured: { amount: 48_000, count: 1 },
      objectives_achieved: { this_week: 1, last_week: 2 },
      trend_vs_last_week: -50,
    });
    // Last week's own numbers, against the week before it.
    const lastWeek = (await get("/v1/cs/csm-tasks/outcomes/weekly?week_of=2026-03-11")).json();
    expect(lastWeek).toMatchObject({
      week_start: "2026-03-09T00:00:00.000Z",
      at_risk_saves: { actual: 1 },
      objectives_achieved: { this_week: 2, last_week: 0 },
      trend_vs_last_week: 100,
    });
    // A manager reads any CSM's week; a CSM only their own.
    const david = await get(
      `/v1/cs/csm-tasks/outcomes/weekly?csm_id=${encodeURIComponent(DAVID)}`,
      KEYS.lead,
    );
    expect(david.json()).toMatchObject({
      csm_id: DAVID,
      renewals_secured: { amount: 20_000, count: 1 },
      objectives_achieved: { this_week: 2, last_week: 1 },
      trend_vs_last_week: 100,
    });
    expect(
      (await get(`/v1/cs/csm-tasks/outcomes/weekly?csm_id=${encodeURIComponent(DAVID)}`)).statusCode,
    ).toBe(403);

    const team = (await get("/v1/cs/csm-tasks/outcomes/team", KEYS.lead)).json();
    expect(team.week_start).toBe("2026-03-16T00:00:00.000Z");
    expect(team.members.map((m: { csm_id: string }) => m.csm_id)).toEqual([DAVID, MAYA]);
    expect(team.members.map((m: { trend_vs_last_week: number }) => m.trend_vs_last_week)).toEqual([100, -50]);
    expect(team.team).toMatchObject({
      members: 2,
      at_risk_saves: { actual: 0, goal: 4 },
      renewals_secured: { amount: 68_000, count: 2 },
      objectives_achieved: { this_week: 3, last_week: 3 },
      trend_vs_last_week: 0,
      open_tasks: 0,
    });
    const before = (await get("/v1/cs/csm-tasks/outcomes/team?week_of=2026-03-11", KEYS.lead)).json();
    expect(before.team).toMatchObject({
      at_risk_saves: { actual: 2 },
      objectives_achieved: { this_week: 3, last_week: 0 },
      trend_vs_last_week: 100,
    });
  });

  it("20 concurrent completes of one task: exactly one succeeds, one outcome recorded", async () => {
    await generate();
    const task = await taskOf("onboarding_stall");
    await post(`/v1/cs/csm-tasks/${task.id}/start`);
    const body = {
      objective_achieved: "yes",
      quality_gates: { missing_step_completed: true, follow_up_scheduled: true },
    };
    const results = await Promise.all(
      Array.from({ length: 20 }, () => post(`/v1/cs/csm-tasks/${task.id}/complete`, body)),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(19);
    const conflict = results.find((r) => r.statusCode === 409)!.json().error;
    expect(conflict.details).toMatchObject({ status: "completed", action: "complete", allowed_actions: [] });
    const outcomes = await h.runtime.store.db
      .selectFrom("csm_task_outcomes")
      .selectAll()
      .where("task_id", "=", task.id)
      .execute();
    expect(outcomes).toHaveLength(1);
  });

  it("409 for illegal transitions, with the current status", async () => {
    await generate();
    const task = await taskOf("nps_detractor_followup");
    const early = await post(`/v1/cs/csm-tasks/${task.id}/complete`, { objective_achieved: "yes" });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.details).toMatchObject({
      status: "pending",
      allowed_actions: ["start", "snooze", "reschedule"],
    });
    expect((await post(`/v1/cs/csm-tasks/${task.id}/escalate`, { reason: "x" })).statusCode).toBe(409);
    expect((await post(`/v1/cs/csm-tasks/${task.id}/start`)).statusCode).toBe(200);
    const again = await post(`/v1/cs/csm-tasks/${task.id}/start`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details.status).toBe("in_progress");
    expect(
      (await post(`/v1/cs/csm-tasks/${task.id}/snooze`, { snooze_until: "2026-03-25T00:00:00Z" })).statusCode,
    ).toBe(409);
    const escalated = await post(`/v1/cs/csm-tasks/${task.id}/escalate`, {
      reason: "Customer wants our VP",
      escalate_to: "vp@example.com",
    });
    expect(escalated.statusCode).toBe(200);
    expect(escalated.json().task.status).toBe("escalated");
    expect(escalated.json().outcome).toMatchObject({ action: "escalate", outcome_type: "escalated" });
    const events = await h.runtime.bus.replay({ types: ["task.escalated"] });
    expect(events.map((e) => e.payload)).toEqual([
      { task_id: String(task.id), reason: "Customer wants our VP", escalated_to: "vp@example.com" },
    ]);
    for (const action of ["start", "complete", "block", "cancel", "reschedule"]) {
      const res = await post(`/v1/cs/csm-tasks/${task.id}/${action}`, {
        reason: "x",
        objective_achieved: "yes",
        new_due_date: "2026-03-25T00:00:00Z",
      });
      expect([400, 409]).toContain(res.statusCode);
    }
    expect(
      (await post(`/v1/cs/csm-tasks/${task.id}/block`, { reason: "x" })).json().error.details.status,
    ).toBe("escalated");
  });

  it("403 for a CSM touching another CSM's task or queue; cs:team and admin may", async () => {
    await generate();
    const davids = await queue(`?csm_id=${encodeURIComponent(DAVID)}`, KEYS.lead);
    expect(davids.total).toBe(1);
    const id = davids.items[0]!.id;
    expect((await get(`/v1/cs/csm-tasks/${id}`)).statusCode).toBe(403);
    const start = await post(`/v1/cs/csm-tasks/${id}/start`);
    expect(start.statusCode).toBe(403);
    expect(start.json().error.code).toBe("forbidden");
    expect((await get(`/v1/cs/csm-tasks/queue?csm_id=${encodeURIComponent(DAVID)}`)).statusCode).toBe(403);
    expect((await get("/v1/cs/csm-tasks/queue", KEYS.reader)).statusCode).toBe(403);
    // Admin has no CSM of its own: it names one.
    expect((await get("/v1/cs/csm-tasks/queue", KEYS.admin)).statusCode).toBe(400);
    expect((await post(`/v1/cs/csm-tasks/${id}/start`, {}, KEYS.lead)).statusCode).toBe(200);
    expect((await get(`/v1/cs/csm-tasks/${id}`, KEYS.admin)).statusCode).toBe(200);
    expect((await get("/v1/cs/csm-tasks/999999")).statusCode).toBe(404);
  });

  it("snooze hides a task until snooze_until; reschedule moves the due date with an outcome record", async () => {
    await generate();
    const task = await taskOf("renewal_prep");
    const past = await post(`/v1/cs/csm-tasks/${task.id}/snooze`, { snooze_until: "2026-03-01T00:00:00Z" });
    expect(past.statusCode).toBe(422);
    const snoozed = await post(`/v1/cs/csm-tasks/${task.id}/snooze`, {
      snooze_until: "2026-03-20T09:00:00Z",
      reason: "Customer on holiday",
    });
    expect(snoozed.json().task.status).toBe("snoozed");
    expect((await queue()).items.map((t) => t.id)).not.toContain(task.id);
    expect((await queue("?status=snoozed")).items.map((t) => t.id)).toEqual([task.id]);

    h.clock.set("2026-03-20T09:00:01Z");
    const back = (await queue()).items.find((t) => t.id === task.id);
    expect(back?.status).toBe("pending");

    const moved = await post(`/v1/cs/csm-tasks/${task.id}/reschedule`, {
      new_due_date: "2026-03-24",
      reason: "Decision-maker back on Tuesday",
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().task).toMatchObject({ status: "pending", due_date: "2026-03-24T00:00:00.000Z" });
    expect(moved.json().outcome).toMatchObject({
      action: "reschedule",
      outcome_type: "rescheduled",
      notes: "Decision-maker back on Tuesday",
      next_action_date: "2026-03-24T00:00:00.000Z",
    });
  });

  it("paginates the queue with a cursor, filters, and validates input", async () => {
    await generate();
    const all = await queue();
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: QueueItem[]; next_cursor: string | null } = await queue(
        `?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...page.items.map((t) => t.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((t) => t.id));

    expect((await queue("?priority=high")).items.every((t) => t.priority === "high")).toBe(true);
    expect((await queue("?due_before=2026-03-19T12:00:00Z")).items.map((t) => t.task_type).sort()).toEqual(
      ["at_risk_recovery", "health_score_drop", "nps_detractor_followup", "onboarding_stall"].sort(),
    );
    expect((await get("/v1/cs/csm-tasks/queue?cursor=nonsense")).statusCode).toBe(400);
    expect((await get("/v1/cs/csm-tasks/queue?status=completed")).statusCode).toBe(400);
    expect((await get("/v1/cs/csm-tasks/queue?due_before=tomorrow")).statusCode).toBe(400);
    const extra = await post(`/v1/cs/csm-tasks/${all.items[0]!.id}/snooze`, {
      snooze_until: "2026-03-25T00:00:00Z",
      colour: "red",
    });
    expect(extra.statusCode).toBe(400);
    expect(JSON.stringify(extra.json())).toContain("colour");
  });

  it("serves task types and call playbooks", async () => {
    const types = (await get("/v1/cs/task-types", KEYS.reader)).json().items;
    expect(types).toHaveLength(9);
    const stall = types.find((t: { slug: string }) => t.slug === "onboarding_stall");
    expect(stall).toMatchObject({ category: "onboarding", default_priority: "urgent", sla_hours: 24 });
    const byId = (await get(`/v1/cs/task-types/${stall.id}`, KEYS.reader)).json();
    expect(byId.playbook).toMatchObject({ id: stall.playbook_id, name: "Onboarding Stall Recovery" });
    expect((await get("/v1/cs/task-types/renewal_prep", KEYS.reader)).json().task_type.sla_hours).toBe(48);
    expect((await get("/v1/cs/task-types/nope", KEYS.reader)).statusCode).toBe(404);
    const playbooks = (await get("/v1/cs/csm-playbooks", KEYS.reader)).json().items;
    expect(playbooks).toHaveLength(9);
    const one = (await get(`/v1/cs/csm-playbooks/${stall.playbook_id}`, KEYS.reader)).json().playbook;
    expect(one.objection_handlers.map((o: { trigger: string }) => o.trigger)).toContain(
      "Been busy/traveling",
    );
  });
});
