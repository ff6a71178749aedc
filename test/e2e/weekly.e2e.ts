/// <reference lib="dom" />
/**
 * Weekly outcomes in Chromium: three positive completions (an at-risk save, a secured renewal, a health
 * recovery) move the week's cards; the week picker and the team page for a cs:team key.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerGates, launchChromium, screenshot, signIn } from "./helpers/browser.js";
import { E2E_API_KEYS, KEYS, MAYA, type RunningService, startService } from "./helpers/service.js";

interface QueueItem {
  id: number;
  task_type: string;
  customer: { arr: number | null };
}
interface Weekly {
  at_risk_saves: { actual: number };
  renewals_secured: { amount: number; count: number };
  health_improvements: number;
}

describe("weekly outcomes", () => {
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

  const card = (title: string) => page.getByRole("article", { name: title });
  const weekly = () => service.api<Weekly>("GET", "/v1/cs/csm-tasks/outcomes/weekly", undefined, KEYS.maya);

  async function completePositively(taskId: number): Promise<void> {
    await page.goto(`${service.url}/queue/${taskId}`);
    await page.getByRole("heading", { name: "Call playbook" }).waitFor();
    const start = page.getByRole("button", { name: "Start" });
    if (await start.isVisible()) await start.click();
    await page.getByRole("button", { name: "Complete" }).waitFor();
    await page
      .getByRole("group", { name: /Objective achieved/ })
      .getByRole("radio", { name: "Yes" })
      .check();
    await page
      .getByRole("group", { name: "Customer sentiment" })
      .getByRole("radio", { name: "Positive" })
      .check();
    await answerGates(page);
    await page.getByRole("button", { name: "Complete" }).click();
    await page.waitForURL(/\/queue$/);
  }

  it("three positive completions show in the week's at-risk saves, renewals secured and health improvements", async () => {
    await page.goto(`${service.url}/outcomes`);
    await card("At-risk saves").waitFor();
    const before = await weekly();
    expect(await card("At-risk saves").textContent()).toContain(`${before.at_risk_saves.actual} of`);

    const items = (
      await service.api<{ items: QueueItem[] }>(
        "GET",
        "/v1/cs/csm-tasks/queue?limit=200",
        undefined,
        KEYS.maya,
      )
    ).items;
    const pick = (type: string) => {
      const t = items.find((i) => i.task_type === type);
      expect(t, type).toBeDefined();
      return t!;
    };
    const atRisk = pick("at_risk_recovery");
    const renewal = pick("renewal_prep");
    const drop = pick("health_score_drop");
    for (const t of [atRisk, renewal, drop]) await completePositively(t.id);

    await page.getByRole("link", { name: "Outcomes" }).click();
    const after = await weekly();
    expect(after.at_risk_saves.actual).toBe(before.at_risk_saves.actual + 1);
    expect(after.renewals_secured.count).toBe(before.renewals_secured.count + 1);
    expect(after.renewals_secured.amount).toBe(before.renewals_secured.amount + (renewal.customer.arr ?? 0));
    expect(after.health_improvements).toBe(before.health_improvements + 1);
    await expect
      .poll(async () => card("At-risk saves").textContent())
      .toContain(`${after.at_risk_saves.actual} of`);
    const money = new Intl.NumberFormat("en-US", {
      style: "currency",
      currency: "USD",
      maximumFractionDigits: 0,
    });
    expect(await card("Renewals secured").textContent()).toContain(
      money.format(after.renewals_secured.amount),
    );
    expect(await card("Renewals secured").textContent()).toMatch(
      new RegExp(`${after.renewals_secured.count} renewals?`),
    );
    expect(await card("Health improvements").textContent()).toContain(String(after.health_improvements));
    await page.getByRole("region", { name: "Activity (context)" }).waitFor();
    await screenshot(page, "weekly_dashboard");
  });

  it("the week picker moves to last week and back, kept in the URL", async () => {
    await page.getByRole("button", { name: "Previous week" }).click();
    await page.waitForURL(/week=\d{4}-\d{2}-\d{2}/);
    const week = new URL(page.url()).searchParams.get("week")!;
    const last = await service.api<Weekly>(
      "GET",
      `/v1/cs/csm-tasks/outcomes/weekly?week_of=${week}T12:00:00Z`,
      undefined,
      KEYS.maya,
    );
    await expect
      .poll(async () => card("At-risk saves").textContent())
      .toContain(`${last.at_risk_saves.actual} of`);
    await page.getByRole("button", { name: "This week" }).click();
    await page.waitForURL((u) => !u.searchParams.has("week"));
  });

  it("a cs:team key sees the team page and can compare CSMs", async () => {
    const lead = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(lead, service.url, KEYS.lead);
    await lead.goto(`${service.url}/outcomes/team`);
    const table = lead.getByRole("table", { name: "Team members this week" });
    await table.waitFor();
    expect(await table.textContent()).toContain("Maya Chen");
    await lead.getByRole("region", { name: "Team comparison" }).waitFor();
    await screenshot(lead, "team_outcomes");
    // The queue offers the team member picker, and picking Maya shows her queue.
    await lead.goto(`${service.url}/queue`);
    await lead.getByLabel("Team member").selectOption(MAYA);
    await lead.waitForURL(/csm=maya/);
    await lead.getByRole("list", { name: "Task queue" }).waitFor();
    await lead.close();
  });
});
