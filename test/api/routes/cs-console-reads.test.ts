/**
 * The reads the console's queue and task pages are built on: each queue item's customer health, today's
 * summary of the queue, and the customer's interaction history in the task detail.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auth, KEYS } from "../../helpers/runtime.js";
import { harness, type QueueHarness } from "../../queue/fixtures.js";

describe("queue reads for the console", () => {
  let h: QueueHarness;
  beforeEach(async () => {
    h = await harness();
    await h.app.inject({ method: "POST", url: "/v1/cs/csm-tasks/generate", headers: auth(), payload: {} });
  });
  afterEach(async () => {
    await h.close();
  });
  const get = (url: string, key: string = KEYS.maya) => h.app.inject({ url, headers: auth(key) });

  it("each queue item carries its customer's latest health score and RAG (null before any scan)", async () => {
    const items = (await get("/v1/cs/csm-tasks/queue")).json().items as {
      customer_id: string;
      health: { score: number; rag: string; at: string } | null;
    }[];
    expect(items.find((t) => t.customer_id === "acc_drop")?.health).toEqual({
      score: 52,
      rag: "AMBER",
      at: "2026-03-18T07:00:00.000Z",
    });
    expect(items.find((t) => t.customer_id === "acc_stall")?.health).toBeNull();
  });

  it("summarises today: open, due today in the caller's zone, overdue, urgent, snoozed", async () => {
    const all = (await get("/v1/cs/csm-tasks/queue?limit=200")).json().items as {
      id: number;
      due_date: string;
      priority: string;
    }[];
    const first = all[0]!;
    await h.app.inject({
      method: "POST",
      url: `/v1/cs/csm-tasks/${first.id}/snooze`,
      headers: auth(KEYS.maya),
      payload: { snooze_until: "2026-03-25T09:00:00Z" },
    });
    const visible = all.filter((t) => t.id !== first.id);
    const res = await get("/v1/cs/csm-tasks/queue/summary?tz=Europe/Berlin");
    expect(res.statusCode).toBe(200);
    const s = res.json();
    // 10:00 UTC on 18 March is 11:00 in Berlin: the day began at 23:00 UTC the evening before.
    expect(s.day_start).toBe("2026-03-17T23:00:00.000Z");
    expect(s.day_end).toBe("2026-03-18T23:00:00.000Z");
    expect(s.open).toBe(visible.length);
    expect(s.snoozed).toBe(1);
    expect(s.urgent).toBe(visible.filter((t) => t.priority === "urgent").length);
    expect(s.overdue).toBe(visible.filter((t) => t.due_date < "2026-03-18T10:00:00.000Z").length);
    expect(s.due_today).toBe(
      visible.filter((t) => t.due_date >= s.day_start && t.due_date < s.day_end).length,
    );
    expect((await get("/v1/cs/csm-tasks/queue/summary?tz=Mars/Olympus")).statusCode).toBe(400);
    expect((await get("/v1/cs/csm-tasks/queue/summary?csm_id=david.okafor@example.com")).statusCode).toBe(
      403,
    );
    expect(
      (await get("/v1/cs/csm-tasks/queue/summary?csm_id=david.okafor@example.com", KEYS.lead)).json().open,
    ).toBe(1);
  });

  it("the task detail lists the customer's interaction history across its tasks", async () => {
    const items = (await get("/v1/cs/csm-tasks/queue?limit=200")).json().items as {
      id: number;
      customer_id: string;
      task_type: string;
    }[];
    const risk = items.filter((t) => t.customer_id === "acc_drop");
    expect(risk.length).toBeGreaterThanOrEqual(1);
    const task = risk[0]!;
    await h.app.inject({
      method: "POST",
      url: `/v1/cs/csm-tasks/${task.id}/start`,
      headers: auth(KEYS.maya),
    });
    await h.app.inject({
      method: "POST",
      url: `/v1/cs/csm-tasks/${task.id}/block`,
      headers: auth(KEYS.maya),
      payload: { reason: "Waiting on their IT" },
    });
    const detail = (await get(`/v1/cs/csm-tasks/${task.id}`)).json();
    expect(detail.history).toEqual([
      expect.objectContaining({
        task_id: task.id,
        task_type: task.task_type,
        action: "block",
        notes: expect.any(String),
      }),
    ]);
  });

  it("the task detail's scripts carry the customer's values instead of their placeholders", async () => {
    const items = (await get("/v1/cs/csm-tasks/queue?task_type=onboarding_stall")).json().items as {
      id: number;
    }[];
    const d = (await get(`/v1/cs/csm-tasks/${items[0]!.id}`)).json();
    const opening = d.script.opening_script as { text: string; unfilled: string[]; parts: unknown[] };
    expect(opening.text).toContain("Maya Chen");
    expect(opening.text).not.toContain("[name]");
    expect(opening.text).not.toContain("[csm]");
    expect(opening.text).not.toContain("[missing_step]");
    // Our own company is not configured here: it stays for the CSM, marked as such.
    expect(opening.unfilled).toContain("company");
    expect(opening.parts).toContainEqual({ placeholder: "company" });
    expect(d.script.objection_handlers.length).toBe(d.playbook.objection_handlers.length);
    const renewal = (await get("/v1/cs/csm-tasks/queue?task_type=renewal_prep")).json().items as {
      id: number;
    }[];
    const r = (await get(`/v1/cs/csm-tasks/${renewal[0]!.id}`)).json();
    expect(r.playbook.objective).toContain("[renewal_date]");
    expect(r.script.objective.text).toContain("April 10, 2026");
  });
});
