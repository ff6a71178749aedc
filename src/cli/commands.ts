import { buildWebCommand } from "./build-web.js";
import type { Command } from "./command.js";
import { doctorCommand } from "./doctor.js";
import { notionSetupCommand } from "./notion-setup.js";
import { qbrCommand } from "./qbr.js";
import { scanCommand } from "./scan.js";
import { seedDemoCommand } from "./seed-demo.js";
import { startCommand } from "./start.js";

/** Every command, in the order `account-team help` lists them: a new command is one line here. */
export const COMMANDS: Command[] = [
  startCommand,
  seedDemoCommand,
  doctorCommand,
  scanCommand,
  qbrCommand,
  notionSetupCommand,
  buildWebCommand,
];
