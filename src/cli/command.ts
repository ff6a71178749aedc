import type { ParseArgsConfig } from "node:util";
import type { Config } from "../config.js";

/** One `account-team <name>` command. */
export interface Command {
  name: string;
  usage: string;
  summary: string;
  options?: ParseArgsConfig["options"];
  /** Exit code; -1 keeps the process alive (start). */
  run(config: Config, args: Record<string, string | boolean | undefined>): Promise<number>;
}
