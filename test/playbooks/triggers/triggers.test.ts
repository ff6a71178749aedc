import type { FastifyInstance } from "fastify";
import { describe, expect, it } from "vitest";
import type { ManualClock } from "../../../src/clock.js";
import type { Account } from "../../../src/domain/types.js";
import type { Runtime } from "../../../src/runtime.js";
import { playbookTick } from "../../../src/scheduler/jobs/playbooks.js";
import { auth, KEYS } from "../../helpers/runtime.js";
import { test } from "../fixture.js";
import { DAY, patchAccount, settle, someAccount } from "../helpers.js";

/**
 * Triggers: manual, time (days before renewal, after signup), events (churn risk flagged, TAM
 * escalation raised, a health drop, the champion left) and conditions (health below 60, usage down 20%+)
 * checked on the scheduler tick and on account events. The same playbook never runs twice at once for a
 * customer, and priority decides between two playbooks for one customer.
 *
 * The demo book is made quiet first (renewals far away, healthy, no usage history) so that only the
 * accounts a test changes can fire anything.
 */

let runtime: Runtime;
let clock: ManualClock;
let app: FastifyInstance;
let accountIndex = 0;
const T0 = "2026-03-02T09:00:00.000Z";

test.override("playbookOptions", { accounts: 40 });
test.beforeAll(async ({ runtime: r, app: a, clock: c }) => {
  runtime = r;
  app = a;
  clock = c;
  const rows = await runtime.store.db.selectFrom("accounts").select("id").execute();
  for (const { id } of rows)
    await patchAccount(runtime, id, {
      renewal_date: "2031-01-15",
      signup_date: "2020-01-15",
      csm_health_score: 85,
      champion: "Pat Quiet",
    });
  await runtime.store.db.deleteFrom("usage").execute();
  await runtime.store.db.deleteFrom("health_history").execute();
});

const post = (url: string, payload: object = {}) =>
  app.inject({ method: "POST", url, headers: auth(), payload });
const get = async (url: string) => (await app.inject({ url, headers: auth(KEYS.reader) })).json();
const tick = async () => {
  const report = await playbookTick(runtime);
  await settle(runtime);
  return report;
};
const nextAccount = () => someAccount(runtime, "Active", accountIndex++);

/** Executions of a playbook for an account, oldest first. */
async function executionsOf(playbookId: string, accountId?: string) {
  const res = await get(
    `/v1/playbook-executions?playbook_id=${playbookId}${accountId ? `&account_id=${accountId}` : ""}`,
  );
  return (
    res.executions as Array<{
      execution_id: string;
      account_id: string;
      status: string;
      trigger_type: string;
    }>
  ).reverse();
}

async function publish(def: Record<string, unknown>) {
  const res = await post("/v1/playbooks?publish=true", def);
  expect(res.statusCode, JSON.stringify(res.json())).toBe(201);
  return res.json().playbook_id as string;
}

/** A playbook that stays active (a long wait) unless told otherwise. */
const waiting = (name: string, triggers: unknown[], extra: Record<string, unknown> = {}) => ({
  name,
  triggers,
  steps: [
    { id: "note", name: "Note", type: "task", task_type: "at_risk_recovery" },
    { id: "hold", name: "Hold", type: "wait", duration: { days: 30 } },
  ],
  ...extra,
});

async function cancelAll(playbookId: string) {
  for (const e of await executionsOf(playbookId))
    if (!["completed", "failed", "cancelled"].includes(e.status))
      await post(`/v1/playbook-executions/${e.execution_id}/cancel`);
  await settle(runtime);
}

describe("manual trigger", () => {
  it("starting one playbook twice for one customer gives one execution, also when both calls race", async () => {
    const pb = await publish(waiting("Manual twice", [{ type: "manual" }]));
    const account = await nextAccount();
    const first = await post(`/v1/playbooks/${pb}/executions`, { account_id: account.id });
    const second = await post(`/v1/playbooks/${pb}/executions`, { account_id: account.id });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ created: false, execution_id: first.json().execution_id });

    const other = await nextAccount();
    const raced = await Promise.all(
      [1, 2, 3].map(() => post(`/v1/playbooks/${pb}/executions`, { account_id: other.id })),
    );
    expect(raced.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    expect(new Set(raced.map((r) => r.json().execution_id)).size).toBe(1);
    await settle(runtime);
    expect(await executionsOf(pb, other.id)).toHaveLength(1);

    // Once it has finished, the customer can have it again.
    await post(`/v1/playbook-executions/${first.json().execution_id}/cancel`);
    expect((await post(`/v1/playbooks/${pb}/executions`, { account_id: account.id })).statusCode).toBe(201);
    await cancelAll(pb);
  });
});

describe("time triggers", () => {
  it("fire X days before renewal and X days after signup, on the tick, once per anchor date", async () => {
    clock.set(T0);
    const renewal = await publish(
      waiting("Renewal-90", [{ type: "time", anchor: "renewal_date", when: "before", days: 90 }]),
    );
    const signup = await publish(
      waiting("Signup+30", [{ type: "time", anchor: "signup_date", when: "after", days: 30 }]),
    );
    const renewing = await nextAccount();
    const notYet = await nextAccount();
    const fresh = await nextAccount();
    await patchAccount(runtime, renewing.id, { renewal_date: "2026-05-31" }); // 90 days after T0
    await patchAccount(runtime, notYet.id, { renewal_date: "2026-06-10" });
    await patchAccount(runtime, fresh.id, { signup_date: "2026-02-01" }); // +30 days = 2026-03-03

    await tick();
    expect((await executionsOf(renewal)).map((e) => e.account_id)).toEqual([renewing.id]);
    expect(await executionsOf(signup)).toHaveLength(0);
    const [ex] = await executionsOf(renewal);
    const full = await get(`/v1/playbook-executions/${ex!.execution_id}`);
    expect(full.trigger).toMatchObject({
      type: "time",
      detail: { anchor_date: "2026-05-31", due: "2026-03-02T00:00:00.000Z" },
    });
    expect(full.started_by).toBe("trigger:time:before:90:renewal_date");

    clock.advance(DAY);
    await tick();
    expect((await executionsOf(signup)).map((e) => e.account_id)).toEqual([fresh.id]);
    // Finished, the same anchor date does not start it again.
    await cancelAll(renewal);
    await cancelAll(signup);
    await tick();
    expect(await executionsOf(renewal)).toHaveLength(1);
    expect(await executionsOf(signup)).toHaveLength(1);
    // A new term (the renewal date moved) fires it again when its day comes.
    await patchAccount(runtime, renewing.id, { renewal_date: "2026-06-01" });
    await tick();
    expect(await executionsOf(renewal, renewing.id)).toHaveLength(2);
    // Past the window (PLAYBOOK_TIME_TRIGGER_WINDOW_DAYS = 7), a missed day no longer fires.
    clock.advance(20 * DAY);
    await tick();
    expect(await executionsOf(renewal, notYet.id)).toHaveLength(0);
    await cancelAll(renewal);
    await runtime.playbooks.unpublish(renewal);
    await runtime.playbooks.unpublish(signup);
    clock.set(T0);
  });
});

describe("event triggers", () => {
  const churn = (accountId: string, level: "low" | "medium" | "high" | "critical") =>
    runtime.bus.publish("churn.risk_flagged", {
      source: "test",
      account_id: accountId,
      payload: { level, score: 40, rag: "RED", reasons: ["usage falling"] },
    });

  it("churn risk flagged at or above a level starts the playbook, with the event as its trigger", async () => {
    const pb = await publish(
      waiting("On churn", [{ type: "event", event: "churn.risk_flagged", min_level: "high" }]),
    );
    const low = await nextAccount();
    const high = await nextAccount();
    await churn(low.id, "medium");
    const flagged = await churn(high.id, "critical");
    await settle(runtime);
    const list = await executionsOf(pb);
    expect(list.map((e) => [e.account_id, e.trigger_type])).toEqual([[high.id, "event"]]);
    const full = await get(`/v1/playbook-executions/${list[0]!.execution_id}`);
    expect(full.trigger.detail).toMatchObject({ event_id: flagged.id, event_type: "churn.risk_flagged" });
    await cancelAll(pb);
    await runtime.playbooks.unpublish(pb);
  });

  it("TAM escalation and a health drop of at least N points fire their playbooks", async () => {
    const esc = await publish(waiting("On escalation", [{ type: "event", event: "tam.escalation_raised" }]));
    const drop = await publish(waiting("On drop", [{ type: "event", event: "health_drop", min_drop: 15 }]));
    const a = await nextAccount();
    const b = await nextAccount();
    const c = await nextAccount();
    await runtime.bus.publish("tam.escalation_raised", {
      source: "test",
      account_id: a.id,
      payload: { score: 35, status: "Red", previous_status: "Amber", reasons: ["P1 tickets"] },
    });
    const scored = (accountId: string, previous: number, score: number) =>
      runtime.bus.publish("account.health_scored", {
        source: "test",
        account_id: accountId,
        payload: {
          score,
          rag: "AMBER",
          previous_score: previous,
          previous_rag: "GREEN",
          trend: "declining",
          churn_risk: "medium",
        },
      });
    await scored(b.id, 82, 64); // -18
    await scored(c.id, 82, 75); // -7
    await settle(runtime);
    expect((await executionsOf(esc)).map((e) => e.account_id)).toEqual([a.id]);
    expect((await executionsOf(drop)).map((e) => e.account_id)).toEqual([b.id]);
    for (const pb of [esc, drop]) {
      await cancelAll(pb);
      await runtime.playbooks.unpublish(pb);
    }
  });

  it("champion left: the tick sees the champion field change and the event fires the playbook", async () => {
    const pb = await publish(waiting("Champion left", [{ type: "event", event: "champion_left" }]));
    const a = await nextAccount();
    const b = await nextAccount();
    const first = await tick(); // the watch's first look: nothing to compare with, nothing fires
    expect(await executionsOf(pb)).toHaveLength(0);
    expect(first.triggered.field_changes).toBe(0);
    await patchAccount(runtime, a.id, { champion: "Robin New" });
    await patchAccount(runtime, b.id, { champion: null });
    const second = await tick();
    expect(second.triggered.field_changes).toBe(2);
    const events = await get("/v1/events?types=account.field_changed&limit=50");
    expect(
      events.events.map((e: { account_id: string; payload: unknown }) => [e.account_id, e.payload]),
    ).toEqual(
      expect.arrayContaining([
        [a.id, { field: "champion", old_value: "Pat Quiet", new_value: "Robin New" }],
        [b.id, { field: "champion", old_value: "Pat Quiet", new_value: null }],
      ]),
    );
    expect((await executionsOf(pb)).map((e) => e.account_id).sort()).toEqual([a.id, b.id].sort());
    // A champion named where there was none is not a champion leaving.
    await cancelAll(pb);
    await patchAccount(runtime, b.id, { champion: "First Champion" });
    expect((await tick()).triggered.field_changes).toBe(1);
    expect(await executionsOf(pb, b.id)).toHaveLength(1);
    await cancelAll(pb);
    await runtime.playbooks.unpublish(pb);
  });

  it("a redelivered event starts nothing twice, and a draft playbook never fires", async () => {
    const pb = await publish(
      waiting("Once per event", [{ type: "event", event: "tam.escalation_raised" }], {
        steps: [{ id: "t", name: "t", type: "task", task_type: "at_risk_recovery" }],
      }),
    );
    const draft = await post(
      "/v1/playbooks",
      waiting("Draft listener", [{ type: "event", event: "tam.escalation_raised" }]),
    );
    const a = await nextAccount();
    const e = await runtime.bus.publish("tam.escalation_raised", {
      source: "test",
      account_id: a.id,
      payload: { score: 30, status: "Red", previous_status: null, reasons: [] },
    });
    await settle(runtime);
    const list = await executionsOf(pb);
    expect(list).toHaveLength(1);
    expect(list[0]!.status).toBe("completed");
    // The durable subscriber gets the same event again (at-least-once delivery): nothing new starts,
    // although the first execution has finished.
    const report = await runtime.playbooks.engine.triggers.onEvent(e);
    expect(report.started).toEqual([]);
    expect(await executionsOf(pb)).toHaveLength(1);
    expect(await executionsOf(draft.json().playbook_id)).toHaveLength(0);
    await runtime.playbooks.unpublish(pb);
  });
});

describe("condition triggers", () => {
  async function usage(accountId: string, older: number, recent: number) {
    const weeks = [8, 7, 6, 5, 4, 3, 2, 1].map((n) =>
      new Date(Date.parse(T0) - n * 7 * DAY).toISOString().slice(0, 10),
    );
    await runtime.store.db
      .insertInto("usage")
      .values(
        weeks.map((week_start, i) => ({
          account_id: accountId,
          week_start,
          active_users: 10,
          events: i < 4 ? older : recent,
        })),
      )
      .execute();
  }

  it("health below 60 and usage down 20%+ start their playbooks on the tick, then not again within the cooldown", async () => {
    clock.set(T0);
    const sick = await publish(
      waiting("Health < 60", [{ type: "condition", condition: "health_score < 60", cooldown_days: 10 }]),
    );
    const slump = await publish(
      waiting("Usage -20%", [
        { type: "condition", condition: { fact: "usage_change_pct", op: "lte", value: -20 } },
      ]),
    );
    const ill = await nextAccount();
    const falling = await nextAccount();
    const steady = await nextAccount();
    await patchAccount(runtime, ill.id, { csm_health_score: 52 });
    await usage(falling.id, 100, 70);
    await usage(steady.id, 100, 95);
    await tick();
    expect((await executionsOf(sick)).map((e) => e.account_id)).toEqual([ill.id]);
    expect((await executionsOf(slump)).map((e) => e.account_id)).toEqual([falling.id]);
    const full = await get(`/v1/playbook-executions/${(await executionsOf(slump))[0]!.execution_id}`);
    expect(full.trigger).toMatchObject({
      type: "condition",
      detail: { facts: [{ fact: "usage_change_pct", actual: -30, result: true }] },
    });

    // Still true on the next ticks: the running execution is not duplicated, and once it is over the
    // cooldown holds it off, then lets it start again.
    await tick();
    expect(await executionsOf(sick)).toHaveLength(1);
    await cancelAll(sick);
    clock.advance(5 * DAY);
    await tick();
    expect(await executionsOf(sick)).toHaveLength(1);
    clock.advance(6 * DAY);
    await tick();
    expect(await executionsOf(sick, ill.id)).toHaveLength(2);
    for (const pb of [sick, slump]) {
      await cancelAll(pb);
      await runtime.playbooks.unpublish(pb);
    }
    clock.set(T0);
  });

  it("is also checked on an account event, without waiting for the tick", async () => {
    const pb = await publish(
      waiting("Health < 50 on events", [{ type: "condition", condition: "health_score < 50" }]),
    );
    const a = await nextAccount();
    await patchAccount(runtime, a.id, { csm_health_score: 41 });
    await runtime.bus.publish("account.health_scored", {
      source: "test",
      account_id: a.id,
      payload: {
        score: 41,
        rag: "RED",
        previous_score: 45,
        previous_rag: "RED",
        trend: "stable",
        churn_risk: "high",
      },
    });
    await settle(runtime);
    expect((await executionsOf(pb)).map((e) => [e.account_id, e.trigger_type])).toEqual([
      [a.id, "condition"],
    ]);
    await cancelAll(pb);
    await runtime.playbooks.unpublish(pb);
  });
});

describe("one customer, several playbooks", () => {
  const escalate = (a: Account) =>
    runtime.bus.publish("tam.escalation_raised", {
      source: "test",
      account_id: a.id,
      payload: { score: 30, status: "Red", previous_status: "Amber", reasons: [] },
    });

  it("two playbooks triggered together: the higher priority runs, the lower is suppressed", async () => {
    const high = await publish(
      waiting("High", [{ type: "event", event: "tam.escalation_raised" }], { priority: 80 }),
    );
    const low = await publish(
      waiting("Low", [{ type: "event", event: "tam.escalation_raised" }], { priority: 20 }),
    );
    const a = await nextAccount();
    await escalate(a);
    await settle(runtime);
    expect(await executionsOf(high, a.id)).toHaveLength(1);
    expect(await executionsOf(low, a.id)).toHaveLength(0);
    const suppressed = await get("/v1/events?types=playbook.trigger_suppressed&limit=50");
    expect(
      suppressed.events.find((e: { account_id: string }) => e.account_id === a.id).payload,
    ).toMatchObject({
      playbook_id: low,
      blocking_execution_id: (await executionsOf(high, a.id))[0]!.execution_id,
    });
    for (const pb of [high, low]) {
      await cancelAll(pb);
      await runtime.playbooks.unpublish(pb);
    }
  });

  it("a higher-priority playbook pauses a running lower one, which resumes once the higher one is done", async () => {
    const low = await publish(
      waiting("Low running", [{ type: "event", event: "churn.risk_flagged" }], { priority: 20 }),
    );
    const high = await publish({
      name: "High quick",
      priority: 90,
      triggers: [{ type: "event", event: "tam.escalation_raised" }],
      steps: [{ id: "act", name: "Act", type: "task", task_type: "at_risk_recovery" }],
    });
    const a = await nextAccount();
    await runtime.bus.publish("churn.risk_flagged", {
      source: "test",
      account_id: a.id,
      payload: { level: "high", score: 40, rag: "RED", reasons: [] },
    });
    await settle(runtime);
    const [lowEx] = await executionsOf(low, a.id);
    expect(lowEx!.status).toBe("waiting");
    await escalate(a);
    await settle(runtime);
    const [highEx] = await executionsOf(high, a.id);
    expect(highEx!.status).toBe("completed");
    // Paused by the higher one, then resumed when it finished: back to its wait.
    const lowNow = await get(`/v1/playbook-executions/${lowEx!.execution_id}`);
    expect(lowNow).toMatchObject({ status: "waiting", preempted_by: null, paused_status: null });
    const changes = await get("/v1/events?types=playbook.execution_status_changed&limit=200");
    const lowChanges = changes.events
      .filter((e: { payload: { execution_id: string } }) => e.payload.execution_id === lowEx!.execution_id)
      .map((e: { payload: { status: string } }) => e.payload.status);
    expect(lowChanges).toEqual(expect.arrayContaining(["paused", "waiting"]));

    // While a long higher-priority one runs, the lower one stays paused.
    const highLong = await publish(
      waiting("High long", [{ type: "event", event: "tam.escalation_raised" }], { priority: 95 }),
    );
    await escalate(a);
    await settle(runtime);
    expect((await get(`/v1/playbook-executions/${lowEx!.execution_id}`)).status).toBe("paused");
    expect((await get(`/v1/playbook-executions/${lowEx!.execution_id}`)).preempted_by).toBe(
      (await executionsOf(highLong, a.id))[0]!.execution_id,
    );
    await cancelAll(highLong);
    expect((await get(`/v1/playbook-executions/${lowEx!.execution_id}`)).status).toBe("waiting");
    for (const pb of [low, high, highLong]) {
      await cancelAll(pb);
      await runtime.playbooks.unpublish(pb);
    }
  });

  it("a CSM's manual start is neither blocked nor paused by triggered playbooks", async () => {
    const mine = await publish(waiting("Manual low", [{ type: "manual" }], { priority: 10 }));
    const auto = await publish(
      waiting("Auto high", [{ type: "event", event: "tam.escalation_raised" }], { priority: 90 }),
    );
    const a = await nextAccount();
    const started = await post(`/v1/playbooks/${mine}/executions`, { account_id: a.id });
    await settle(runtime);
    await escalate(a);
    await settle(runtime);
    expect(await executionsOf(auto, a.id)).toHaveLength(1);
    expect((await get(`/v1/playbook-executions/${started.json().execution_id}`)).status).toBe("waiting");
    for (const pb of [mine, auto]) {
      await cancelAll(pb);
      await runtime.playbooks.unpublish(pb);
    }
  });
});
