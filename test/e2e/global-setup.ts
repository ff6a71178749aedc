import fs from "node:fs";
import { ensureConsoleBuilt } from "../../src/cli/console-build.js";
import { chromiumPath } from "./helpers/browser.js";

/** Once per run: the console built as `start` would build it, and a Chromium to drive. */
export default async function setup(): Promise<void> {
  const chromium = chromiumPath();
  if (!fs.existsSync(chromium)) {
    throw new Error(
      `no Chromium at ${chromium}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  if (!(await ensureConsoleBuilt())) throw new Error("the console could not be built");
}
