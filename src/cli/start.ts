import { startService } from "../main.js";
import type { Command } from "./command.js";

export const startCommand: Command = {
  name: "start",
  usage: "start",
  summary: "Serve the API, run the agents and the scheduler (what `npm start` runs)",
  async run(config) {
    await startService(config, { installSignalHandlers: true });
    return -1;
  },
};
