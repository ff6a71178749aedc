import type { ParseArgsConfig } from "node:util";
import type { Config } from "../config.js";
import { doctorCommand } from "./doctor.js";
import { notionSetupCommand } from "./notion-setup.js";
// Registers doctor's Notion checks (schema, outbox backlog) into DOCTOR_CHECKS.
import "./notion-checks.js";
import { qbrCommand } from "./qbr.js";
import { scanCommand } from "./scan.js";
import { seedDemoCommand } from "./seed-demo.js";
import { startCommand } from "./start.js";

export interface Command {
  name: string;
  usage: string;
  summary: string;
  options?: ParseArgsConfig["options"];
  /** Exit code; -1 keeps the process alive (start). */
  run(config: Config, args: Record<string, string | boolean | undefined>): Promise<number>;
}

/** Later parts add their commands (scan, qbr, notion-setup) here. */
export const COMMANDS: Command[] = [
  startCommand,
  seedDemoCommand,
  doctorCommand,
  scanCommand,
  qbrCommand,
  notionSetupCommand,
];
