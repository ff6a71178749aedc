/// <reference lib="dom" />
/**
 * The queue in Chromium: sorted by priority score with urgent tasks on top, filters kept in the URL,
 * snoozed tasks behind a toggle, and a task generated while the page is open appearing without a reload.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshot, signIn } from "./helpers/browser.js";
import { E2E_API_KEYS, KEYS, MAYA, type RunningService, startService } from "./helpers/service.js";

interface QueueItem {
  id: number;
  priority: string;
  priority_score: number;
}

describe("the queue page", () => {
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

  const cards = () => page.getByRole("list", { name: "Task queue" }).getByRole("listitem");
  const badgeScores = async () =>
    (await cards().allTextContents()).map((t) => {
      const m = /^(URGENT|HIGH|STANDARD|LOW) \((\d+)\)/.exec(t);
      expect(m, t).not.toBeNull();
      return { label: m![1]!, score: Number(m![2]) };
    });

  it("shows the CSM's tasks by priority score, highest first, urgent at the top in red", async () => {
    await cards().first().waitFor();
    const api = await service.api<{ items: QueueItem[]; total: number }>(
      "GET",
      "/v1/cs/csm-tasks/queue?limit=50",
      undefined,
      KEYS.maya,
    );
    const shown = await badgeScores();
    expect(shown.map((s) => s.score)).toEqual(api.items.map((t) => t.priority_score));
    for (let i = 1; i < shown.length; i++) expect(shown[i]!.score).toBeLessThanOrEqual(shown[i - 1]!.score);
    expect(shown[0]!.label).toBe("URGENT");
    const topBadge = cards().first().locator(".badge").first();
    expect(await topBadge.evaluate((el) => getComputedStyle(el).color)).toBe("rgb(180, 35, 24)");
    // Today's summary agrees with the API.
    const summary = await service.api<{ open: number; overdue: number; urgent: number }>(
      "GET",
      "/v1/cs/csm-tasks/queue/summary",
      undefined,
      KEYS.maya,
    );
    const stats = page.getByRole("region", { name: "Today's summary" });
    expect(await stats.getByText("Open").locator("..").textContent()).toContain(String(summary.open));
    expect(await stats.getByText("Urgent").locator("..").textContent()).toContain(String(summary.urgent));
    await screenshot(page, "queue_view");
  });

  it("keeps filters in the URL, so a reload shows the same list", async () => {
    await page.getByLabel("Priority").selectOption("urgent");
    await page.waitForURL(/priority=urgent/);
    await expect.poll(async () => (await badgeScores()).every((s) => s.label === "URGENT")).toBe(true);
    await page.reload();
    expect(await page.getByLabel("Priority").inputValue()).toBe("urgent");
    await cards().first().waitFor();
    expect((await badgeScores()).every((s) => s.label === "URGENT")).toBe(true);
    await page.getByLabel("Priority").selectOption("");
    await page.waitForURL((u) => !u.searchParams.has("priority"));
  });

  it("hides snoozed tasks until the toggle shows them", async () => {
    const q = await service.api<{ items: QueueItem[] }>(
      "GET",
      "/v1/cs/csm-tasks/queue?status=pending&limit=1",
      undefined,
      KEYS.maya,
    );
    const task = q.items[0]!;
    await service.api(
      "POST",
      `/v1/cs/csm-tasks/${task.id}/snooze`,
      { snooze_until: new Date(Date.now() + 3 * 86_400_000).toISOString() },
      KEYS.maya,
    );
    await page.reload();
    await cards().first().waitFor();
    await expect.poll(() => page.locator(`a[href="/queue/${task.id}"]`).count()).toBe(0);
    await page.getByLabel(/Show snoozed tasks/).check();
    const snoozed = page.getByRole("list", { name: "Snoozed tasks" });
    await snoozed.locator(`a[href="/queue/${task.id}"]`).waitFor();
    expect(await snoozed.textContent()).toContain("Snoozed until");
    await page.getByLabel(/Show snoozed tasks/).uncheck();
  });

  it("shows a task generated while the page is open, without a reload", async () => {
    const before = await cards().count();
    const total = (
      await service.api<{ total: number }>("GET", "/v1/cs/csm-tasks/queue?limit=1", undefined, KEYS.maya)
    ).total;
    expect(before).toBe(Math.min(total, 50));
    const marker = await page.evaluate(() => {
      (window as unknown as { __marker: number }).__marker = 42;
      return 42;
    });
    const gen = await service.api<{ created: { task_id: number }[] }>("POST", "/v1/cs/csm-tasks/generate", {
      csm_id: MAYA,
    });
    expect(gen.created.length).toBeGreaterThan(0);
    const newId = gen.created[0]!.task_id;
    await page.locator(`a[href="/queue/${newId}"]`).waitFor({ timeout: 10_000 });
    // Still the same document: no reload happened.
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(marker);
    await screenshot(page, "queue_live_new_task");
  });
});
