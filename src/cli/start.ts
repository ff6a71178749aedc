import { startService } from "../main.js";
import type { Command } from "./command.js";
import { CONSOLE_DIST, ensureConsoleBuilt } from "./console-build.js";

export const startCommand: Command = {
  name: "start",
  usage: "start",
  summary: "Serve the API and the console, run the agents and the scheduler (what `npm start` runs)",
  async run(config) {
    // CONSOLE_BUILD=off serves web/dist as it is (a deployment that ships a built console).
    if (config.CONSOLE_BUILD === "auto") await ensureConsoleBuilt();
    await startService(config, { installSignalHandlers: true, consoleDir: CONSOLE_DIST });
    return -1;
  },
};
