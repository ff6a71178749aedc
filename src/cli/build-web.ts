import type { Command } from "./command.js";
import { buildConsole } from "./console-build.js";

export const buildWebCommand: Command = {
  name: "build-web",
  usage: "build-web",
  summary: "Build the console (web/) into web/dist; `start` does this by itself when the build is stale",
  async run() {
    process.stderr.write("account-team: building the console ...\n");
    await buildConsole();
    return 0;
  },
};
