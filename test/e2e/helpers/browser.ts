/**
 * Debian's Chromium driven by playwright-core: never a browser download. Headless, each test with a
 * fresh profile (a new browser context), screenshots under test-results/.
 */
import fs from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

export const chromiumPath = (): string => process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}

export const RESULTS_DIR = path.resolve("test-results");

/** Save a screenshot of the whole page as test-results/<name>.png (the run's evidence). */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Sign in through the page, as a person would: the API key field, then the queue. */
export async function signIn(page: Page, baseUrl: string, key: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Queue", level: 1 }).waitFor();
}

/** Answer every quality gate of the outcome form positively: Yes, the first option, 5, a note. */
export async function answerGates(page: Page): Promise<void> {
  const gates = page.locator("section.gates");
  for (const group of await gates.getByRole("group").all()) {
    const yes = group.getByRole("radio", { name: "Yes" });
    if ((await yes.count()) > 0) await yes.check();
    else await group.getByRole("radio", { name: "5" }).check();
  }
  for (const select of await gates.getByRole("combobox").all()) {
    const first = await select.locator("option").nth(1).getAttribute("value");
    await select.selectOption(first!);
  }
  for (const box of await gates.getByRole("textbox").all()) await box.fill("Covered on the call");
}
