import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import type { Runtime } from "../../src/runtime.js";
import { playbookTick } from "../../src/scheduler/jobs/playbooks.js";
import { auth, KEYS, makeApp, tempDataDir } from "../helpers/runtime.js";
import {
  DAY,
  draftsOf,
  noteCalls,
  noteGates,
  playbookRuntime,
  START,
  settle,
  someAccount,
  tasksOf,
} from "./helpers.js";

/**
 * Durability: the process is killed (runtime.crash(): handles closed mid-flight, nothing drained) while
 * an execution waits, while an approval is pending, and while a step is in flight; a second process on
 * the same data dir carries each execution on, and no step's side effect (draft, queue task, agent run,
 * approval) happens twice.
 */

let current: { runtime: Runtime; app: FastifyInstance } | null = null;
afterEach(async () => {
  if (current) {
    await current.app.close();
    await current.runtime.close({ graceMs: 0 });
  }
  current = null;
});

async function boot(dataDir: string, clock: ManualClock) {
  const { runtime } = await playbookRuntime({ dataDir, clock });
  const app = await makeApp(runtime);
  current = { runtime, app };
  return {
    runtime,
    post: (url: string, payload: object = {}) =>
      app.inject({ method: "POST", url, headers: auth(), payload }),
    get: async (url: string) => (await app.inject({ url, headers: auth(KEYS.reader) })).json(),
  };
}

/** Kill the process: no graceful close, no drain. */
async function kill() {
  const c = current!;
  current = null;
  await c.runtime.crash();
  await c.app.close();
}

async function count(
  runtime: Runtime,
  table: "approvals" | "runs",
  column: "execution_id" | "caller",
  value: string,
) {
  const row = await runtime.store.db
    .selectFrom(table)
    .select((e) => e.fn.countAll().as("n"))
    .where(column as never, "=", value as never)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function transitions(runtime: Runtime, executionId: string) {
  const rows = await runtime.store.db
    .selectFrom("events")
    .select("payload")
    .where("type", "=", "playbook.step_transitioned")
    .where("run_id", "=", executionId)
    .orderBy("seq")
    .execute();
  return rows.map((r) => {
    const p = JSON.parse(r.payload) as { step_id: string; status: string };
    return `${p.step_id}:${p.status}`;
  });
}

const steps = async (
  get: (url: string) => Promise<{ steps: Array<{ step_id: string; status: string }> }>,
  id: string,
) => (await get(`/v1/playbook-executions/${id}`)).steps.map((s) => `${s.step_id}:${s.status}`);

describe("killed and restarted", () => {
  it("during a wait: the wait is durable, the tick after the restart wakes it, nothing runs twice", async () => {
    const dataDir = tempDataDir();
    const clock = new ManualClock(START);
    let p = await boot(dataDir, clock);
    const pb = await p.post("/v1/playbooks?publish=true", {
      name: "Durable wait",
      steps: [
        {
          id: "hello",
          name: "Hello",
          type: "email",
          to: "customer",
          subject: "Hi {{customer.name}}",
          body: "Hello",
        },
        { id: "prep", name: "Prep", type: "task", task_type: "renewal_prep" },
        { id: "nap", name: "Nap", type: "wait", duration: { days: 3 } },
        {
          id: "note",
          name: "Note",
          type: "agent_action",
          agent_id: "test-notes",
          task: { type: "note", label: "after-nap" },
        },
        {
          id: "meet",
          name: "Meet",
          type: "meeting",
          title: "Sync",
          agenda: "Sync",
          attendees: ["csm"],
          task_type: "day_30_checkin",
        },
      ],
    });
    const playbookId = pb.json().playbook_id;
    const early = await someAccount(p.runtime, "Active", 0);
    const late = await someAccount(p.runtime, "Active", 1);
    const a = (await p.post(`/v1/playbooks/${playbookId}/executions`, { account_id: early.id })).json()
      .execution_id;
    clock.advance(DAY);
    const b = (await p.post(`/v1/playbooks/${playbookId}/executions`, { account_id: late.id })).json()
      .execution_id;
    await settle(p.runtime);
    for (const id of [a, b]) expect((await p.get(`/v1/playbook-executions/${id}`)).status).toBe("waiting");
    await kill();

    // Down for three days: a's wait (due day 3) is over at boot, b's (due day 4) is not.
    clock.set(new Date(Date.parse(START) + 3 * DAY + 60_000));
    p = await boot(dataDir, clock);
    await settle(p.runtime);
    expect((await p.get(`/v1/playbook-executions/${a}`)).status).toBe("completed");
    expect((await p.get(`/v1/playbook-executions/${b}`)).status).toBe("waiting");
    // The scheduler tick wakes b once its wait is over, not before.
    await playbookTick(p.runtime);
    await settle(p.runtime);
    expect((await p.get(`/v1/playbook-executions/${b}`)).status).toBe("waiting");
    clock.advance(DAY);
    await playbookTick(p.runtime);
    await settle(p.runtime);
    expect((await p.get(`/v1/playbook-executions/${b}`)).status).toBe("completed");

    for (const [id, account] of [
      [a, early.id],
      [b, late.id],
    ] as const) {
      expect(await steps(p.get, id)).toEqual([
        "hello:completed",
        "prep:completed",
        "nap:completed",
        "note:completed",
        "meet:completed",
      ]);
      // One email draft and one invitation; one prep task and one meeting task; one agent run.
      expect((await draftsOf(p.runtime, id)).map((d) => d.subject).sort()).toEqual([
        `Hi ${(await p.runtime.records.getAccount(account))!.name}`,
        "Invitation: Sync",
      ]);
      expect((await tasksOf(p.runtime, id)).map((t) => t.task_type).sort()).toEqual([
        "day_30_checkin",
        "renewal_prep",
      ]);
      expect(await count(p.runtime, "runs", "caller", `playbook:${id}`)).toBe(1);
      expect(noteCalls.get(`${account}:after-nap`)).toBe(1);
      // Every transition published once.
      expect(await transitions(p.runtime, id)).toEqual([
        "hello:running",
        "hello:completed",
        "prep:running",
        "prep:completed",
        "nap:waiting",
        "nap:completed",
        "note:running",
        "note:completed",
        "meet:running",
        "meet:completed",
      ]);
    }
  });

  it("during a pending approval: the approval survives, approving after the restart continues it once", async () => {
    const dataDir = tempDataDir();
    const clock = new ManualClock(START);
    let p = await boot(dataDir, clock);
    const pb = await p.post("/v1/playbooks?publish=true", {
      name: "Durable approval",
      steps: [
        { id: "prep", name: "Prep", type: "task", task_type: "renewal_prep" },
        {
          id: "ask",
          name: "Ask",
          type: "email",
          require_approval: true,
          to: "customer",
          subject: "Approved mail",
          body: "Body",
        },
        {
          id: "note",
          name: "Note",
          type: "agent_action",
          agent_id: "test-notes",
          task: { type: "note", label: "after-approval" },
        },
      ],
    });
    const account = await someAccount(p.runtime, "Active", 2);
    const id = (
      await p.post(`/v1/playbooks/${pb.json().playbook_id}/executions`, { account_id: account.id })
    ).json().execution_id;
    await settle(p.runtime);
    const [approval] = (await p.get("/v1/approvals")).approvals;
    expect(approval).toMatchObject({ execution_id: id, step_id: "ask", status: "pending" });
    await kill();

    p = await boot(dataDir, clock);
    await settle(p.runtime);
    await playbookTick(p.runtime);
    await settle(p.runtime);
    // Still waiting for its person: the restart and the tick did not skip, repeat or re-request it.
    expect((await p.get(`/v1/playbook-executions/${id}`)).status).toBe("awaiting_approval");
    expect(
      (await p.get("/v1/approvals")).approvals.map((x: { approval_id: string }) => x.approval_id),
    ).toEqual([approval.approval_id]);
    const decided = await p.post(`/v1/approvals/${approval.approval_id}`, { decision: "approve" });
    expect(decided.statusCode).toBe(200);
    await settle(p.runtime);
    expect((await p.get(`/v1/playbook-executions/${id}`)).status).toBe("completed");
    expect(await steps(p.get, id)).toEqual(["prep:completed", "ask:completed", "note:completed"]);
    expect((await draftsOf(p.runtime, id)).map((d) => d.subject)).toEqual(["Approved mail"]);
    expect(await tasksOf(p.runtime, id)).toHaveLength(1);
    expect(await count(p.runtime, "approvals", "execution_id", id)).toBe(1);
    expect(noteCalls.get(`${account.id}:after-approval`)).toBe(1);
    expect(await transitions(p.runtime, id)).toEqual([
      "prep:running",
      "prep:completed",
      "ask:awaiting_approval",
      "ask:running",
      "ask:completed",
      "note:running",
      "note:completed",
    ]);
  });

  it("right after a decision, before the execution moved on: the next process carries it on", async () => {
    const dataDir = tempDataDir();
    const clock = new ManualClock(START);
    let p = await boot(dataDir, clock);
    const pb = await p.post("/v1/playbooks?publish=true", {
      name: "Decided then killed",
      steps: [
        {
          id: "ask",
          name: "Ask",
          type: "email",
          require_approval: true,
          to: "csm",
          subject: "Decided",
          body: "Body",
        },
        {
          id: "note",
          name: "Note",
          type: "agent_action",
          agent_id: "test-notes",
          task: { type: "note", label: "decided" },
        },
      ],
    });
    const account = await someAccount(p.runtime, "Active", 3);
    const id = (
      await p.post(`/v1/playbooks/${pb.json().playbook_id}/executions`, { account_id: account.id })
    ).json().execution_id;
    await settle(p.runtime);
    const [approval] = (await p.get("/v1/approvals")).approvals;
    // Decided in the store, and the process dies before the engine could act on it.
    await p.runtime.playbooks.engine.approvals.decide(approval.approval_id, {
      decision: "approve",
      edits: null,
      comment: null,
      by: "maya",
    });
    await kill();

    p = await boot(dataDir, clock);
    await settle(p.runtime);
    expect((await p.get(`/v1/playbook-executions/${id}`)).status).toBe("completed");
    expect((await draftsOf(p.runtime, id)).map((d) => d.subject)).toEqual(["Decided"]);
    expect(await count(p.runtime, "runs", "caller", `playbook:${id}`)).toBe(1);
    expect(noteCalls.get(`${account.id}:decided`)).toBe(1);
  });

  it("while a step is in flight: the agent run and the step finish in the next process, once", async () => {
    const dataDir = tempDataDir();
    const clock = new ManualClock(START);
    let p = await boot(dataDir, clock);
    let release = () => {};
    noteGates.set(
      "slow",
      new Promise<void>((r) => {
        release = r;
      }),
    );
    const pb = await p.post("/v1/playbooks?publish=true", {
      name: "Killed mid-step",
      steps: [
        { id: "hello", name: "Hello", type: "email", to: "csm", subject: "Before", body: "Body" },
        {
          id: "slow",
          name: "Slow",
          type: "agent_action",
          agent_id: "test-notes",
          task: { type: "note", label: "slow" },
        },
        { id: "prep", name: "Prep", type: "task", task_type: "renewal_prep" },
      ],
    });
    const account = await someAccount(p.runtime, "Active", 4);
    const id = (
      await p.post(`/v1/playbooks/${pb.json().playbook_id}/executions`, { account_id: account.id })
    ).json().execution_id;
    const runId = `run_${id}_slow_a1`;
    for (let i = 0; i < 500 && (await p.runtime.runs.get(runId))?.status !== "running"; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect((await p.get(`/v1/playbook-executions/${id}`)).steps[1].status).toBe("running");
    await kill();

    noteGates.delete("slow");
    release();
    p = await boot(dataDir, clock);
    await settle(p.runtime);
    await p.runtime.runs.waitFor(runId, 5_000);
    await settle(p.runtime);
    const ex = await p.get(`/v1/playbook-executions/${id}`);
    expect(ex.status).toBe("completed");
    expect(ex.steps[1].output).toMatchObject({
      run_id: runId,
      status: "succeeded",
      result: { noted: "slow" },
    });
    expect(await count(p.runtime, "runs", "caller", `playbook:${id}`)).toBe(1);
    expect((await draftsOf(p.runtime, id)).map((d) => d.subject)).toEqual(["Before"]);
    expect(await tasksOf(p.runtime, id)).toHaveLength(1);
    const trail = await transitions(p.runtime, id);
    expect(trail.filter((t) => t === "slow:completed")).toHaveLength(1);
    expect(trail.filter((t) => t === "hello:completed")).toHaveLength(1);
  });
});
