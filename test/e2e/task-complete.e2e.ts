/// <reference lib="dom" />
/**
 * A task in Chromium: the call playbook and the customer beside it, completing it with its outcome
 * (the task leaves the queue, a toast confirms), quality gates enforced field by field, and a CSM who
 * cannot open another CSM's task.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerGates, launchChromium, screenshot, signIn } from "./helpers/browser.js";
import { E2E_API_KEYS, KEYS, LENA, type RunningService, startService } from "./helpers/service.js";

interface QueueItem {
  id: number;
  task_type: string;
  status: string;
  customer_name: string;
}

describe("working a task", () => {
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    [service, browser] = await Promise.all([startService({ API_KEYS: E2E_API_KEYS }), launchChromium()]);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(page, service.url, KEYS.maya);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });
  const queueItems = async (query = "") =>
    (
      await service.api<{ items: QueueItem[] }>(
        "GET",
        `/v1/cs/csm-tasks/queue?limit=200${query}`,
        undefined,
        KEYS.maya,
      )
    ).items;

  it("task -> call playbook and customer context -> complete removes it from the queue with a toast", async () => {
    const top = (await queueItems("&status=pending"))[0]!;
    await page.goto(`${service.url}/queue`);
    await page.locator(`a[href="/queue/${top.id}"]`).click();
    await page.getByRole("heading", { name: "Call playbook" }).waitFor();
    const detail = await service.api<{
      playbook: {
        objective: string;
        key_questions: string[];
        objection_handlers: { trigger: string; response: string }[];
      };
      customer: { name: string };
    }>("GET", `/v1/cs/csm-tasks/${top.id}`, undefined, KEYS.maya);
    const playbook = page.getByRole("region", { name: "Call playbook" });
    expect(await playbook.textContent()).toContain(detail.playbook.objective);
    for (const q of detail.playbook.key_questions) expect(await playbook.textContent()).toContain(q);
    const script = await playbook.locator("blockquote.script").textContent();
    expect(script).toContain(detail.customer.name);
    expect(script).not.toContain("[name]");
    expect(script).not.toContain("[csm]");
    // Objection handlers open to their response.
    const first = detail.playbook.objection_handlers[0];
    if (first) {
      const response = playbook.getByText(first.response.slice(0, 30), { exact: false });
      expect(await response.isVisible()).toBe(false);
      await playbook.getByText(`“${first.trigger}”`).click();
      expect(await response.isVisible()).toBe(true);
    }
    const context = page.getByRole("region", { name: "Customer context" });
    expect(await context.textContent()).toContain(detail.customer.name);
    for (const label of ["Health score", "Churn risk", "Renewal date", "ARR", "Tier"]) {
      expect(await context.textContent()).toContain(label);
    }
    await page.getByRole("table", { name: "Recent tickets" }).waitFor();
    await page.getByRole("region", { name: "Interaction history" }).waitFor();
    await screenshot(page, "task_detail_playbook");

    await page.getByRole("button", { name: "Start" }).click();
    await page.getByRole("button", { name: "Complete" }).waitFor();
    await page.getByLabel("Outcome type").selectOption("connected");
    await page
      .getByRole("group", { name: /Objective achieved/ })
      .getByRole("radio", { name: "Yes" })
      .check();
    await page
      .getByRole("group", { name: "Customer sentiment" })
      .getByRole("radio", { name: "Positive" })
      .check();
    await answerGates(page);
    await page.getByLabel("Notes").fill("Agreed a recovery plan with the customer");
    await page.getByLabel("Next action", { exact: true }).fill("Send the training plan");
    await screenshot(page, "outcome_form");
    await page.getByRole("button", { name: "Complete" }).click();

    await page.waitForURL(/\/queue$/);
    await page
      .getByRole("status")
      .getByText(/Outcome saved/)
      .waitFor();
    await page.getByRole("list", { name: "Task queue" }).waitFor();
    expect(await page.locator(`a[href="/queue/${top.id}"]`).count()).toBe(0);
    const after = await service.api<{ task: { status: string } }>(
      "GET",
      `/v1/cs/csm-tasks/${top.id}`,
      undefined,
      KEYS.maya,
    );
    expect(after.task.status).toBe("completed");
  });

  it("refuses to complete without the required quality gates, showing each beside its field, then accepts", async () => {
    const task = (await queueItems("&status=in_progress"))[0]!;
    await page.goto(`${service.url}/queue/${task.id}`);
    await page
      .getByRole("group", { name: /Objective achieved/ })
      .getByRole("radio", { name: "Yes" })
      .check();
    await page.getByRole("button", { name: "Complete" }).click();
    await page.getByText("Some quality gates need an answer. Nothing was saved.").waitFor();
    const gates = (
      await service.api<{ task_type: { quality_gates: { question: string; required: boolean }[] } }>(
        "GET",
        `/v1/cs/csm-tasks/${task.id}`,
        undefined,
        KEYS.maya,
      )
    ).task_type.quality_gates;
    // Every gate's control is labelled with its question.
    for (const g of gates) expect(await page.getByLabel(g.question).count(), g.question).toBeGreaterThan(0);
    const required = gates.filter((g) => g.required);
    expect(required.length).toBeGreaterThan(0);
    for (const g of required) {
      // Each required gate's field, named by its question, carries its own problem.
      const field = page.locator(".field", { hasText: g.question });
      expect(await field.locator(".field-error").textContent()).toContain("required");
    }
    await screenshot(page, "quality_gates_enforced");
    expect((await queueItems()).some((t) => t.id === task.id && t.status === "in_progress")).toBe(true);

    await answerGates(page);
    await page.getByRole("button", { name: "Complete" }).click();
    await page.waitForURL(/\/queue$/);
    await page.getByRole("list", { name: "Task queue" }).waitFor();
    expect(await page.locator(`a[href="/queue/${task.id}"]`).count()).toBe(0);
  });

  it("a CSM key cannot open another CSM's task", async () => {
    const lenas = await service.api<{ items: QueueItem[] }>(
      "GET",
      "/v1/cs/csm-tasks/queue?limit=1",
      undefined,
      KEYS.lena,
    );
    const other = lenas.items[0]!;
    await page.goto(`${service.url}/queue/${other.id}`);
    await page
      .getByRole("alert")
      .getByText(/Not allowed/)
      .waitFor();
    expect(await page.getByText(other.customer_name).count()).toBe(0);
    // Nor read Lena's queue through the page's own session.
    const status = await page.evaluate(
      async (csm) => (await fetch(`/v1/cs/csm-tasks/queue?csm_id=${csm}`)).status,
      LENA,
    );
    expect(status).toBe(403);
    await screenshot(page, "other_csm_task_refused");
  });
});
