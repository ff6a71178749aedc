/// <reference lib="dom" />
/**
 * Signing in and out in Chromium with the admin key `npm start` prints, the cookie kept from script,
 * and a page of another origin on the same host refused when it tries to write with the cookie.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshot } from "./helpers/browser.js";
import { type RunningService, startService } from "./helpers/service.js";

describe("sign-in and sign-out", () => {
  let service: RunningService;
  let browser: Browser;
  let page: Page;
  let key: string;
  beforeAll(async () => {
    // No API_KEYS: the embedded default generates the admin key and prints it with the console's address.
    [service, browser] = await Promise.all([startService(), launchChromium()]);
    page = await (await browser.newContext()).newPage();
    const banner = service.stdout();
    expect(banner).toContain(`Console: ${service.url}/`);
    key = /Generated an admin API key[^\n]*\n\s+(atk_\S+)/.exec(banner)![1]!;
  });
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it("a page of the console without a session opens the sign-in page; a wrong key is refused", async () => {
    await page.goto(`${service.url}/outcomes`);
    await page.getByRole("heading", { name: "Sign in to account-team" }).waitFor();
    await page.getByLabel("API key").fill("atk_not-the-key");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText(/That key is not valid/).waitFor();
    expect(await page.getByLabel("API key").getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "sign_in_refused");
  });

  it("the printed key signs in, back to the page asked for; the session cookie is out of script's reach", async () => {
    await page.getByLabel("API key").fill(key);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Outcomes", level: 1 }).waitFor();
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const name of ["Queue", "Accounts", "Review", "Playbooks", "Outcomes"]) {
      await nav.getByRole("link", { name }).waitFor();
    }
    expect(await nav.getByRole("link", { name: "Accounts" }).getAttribute("aria-disabled")).toBe("true");
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === "atk_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict" });
    expect(session!.expires).toBeGreaterThan(Date.now() / 1000);
    expect(await page.evaluate(() => document.cookie)).not.toContain("atk_session");
    expect(await page.evaluate(async () => (await fetch("/v1/session")).status)).toBe(200);
    // Keyboard: the skip link comes first and the navigation is reachable by Tab, with a visible focus ring.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { text: el.textContent, outline: getComputedStyle(el).outlineStyle };
    });
    expect(focused.text).toBe("Queue");
    expect(focused.outline).toBe("solid");
  });

  it("a page of another origin on this host cannot write with the cookie", async () => {
    const other = http.createServer((_req, res) => {
      res.setHeader("content-type", "text/html");
      res.end("<!doctype html><title>other</title>");
    });
    await new Promise<void>((r) => other.listen(0, "127.0.0.1", () => r()));
    try {
      const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/`;
      const evil = await page.context().newPage();
      await evil.goto(otherUrl);
      const statuses: number[] = [];
      evil.on("response", (r) => {
        if (r.url().includes("/v1/cs/csm-tasks/generate")) statuses.push(r.status());
      });
      // Same site (127.0.0.1), so the browser sends the cookie; the service refuses the write by origin.
      await evil.evaluate(async (target) => {
        await fetch(`${target}v1/cs/csm-tasks/generate`, {
          method: "POST",
          mode: "no-cors",
          credentials: "include",
          body: "{}",
        });
      }, `${service.url}/`);
      await expect.poll(() => statuses).toEqual([403]);
      await evil.close();
    } finally {
      other.close();
    }
  });

  it("Sign out ends the session: the API refuses the browser and the pages ask to sign in again", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in to account-team" }).waitFor();
    expect((await page.context().cookies()).find((c) => c.name === "atk_session")).toBeUndefined();
    expect(await page.evaluate(async () => (await fetch("/v1/cs/csm-tasks/outcomes/team")).status)).toBe(401);
    await page.goto(`${service.url}/queue`);
    await page.getByRole("heading", { name: "Sign in to account-team" }).waitFor();
    await screenshot(page, "signed_out");
  });
});
