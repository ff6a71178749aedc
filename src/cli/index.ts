import { parseArgs } from "node:util";
import { type Config, ConfigError, loadConfig } from "../config.js";
import { errorMessage } from "../errors.js";
import { COMMANDS } from "./commands.js";

const USAGE = `account-team <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.usage.padEnd(44)} ${c.summary}`).join("\n")}

Configuration comes from the environment (see .env.example).`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 1;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`account-team: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs({ args: rest, options: command.options ?? {}, allowPositionals: false, strict: true });
  } catch (err) {
    process.stderr.write(
      `account-team ${name}: ${(err as Error).message}\nusage: account-team ${command.usage}\n`,
    );
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      // One line naming the variable and the problem; no stack trace.
      process.stderr.write(`account-team: invalid configuration: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  return command.run(config, args.values as Record<string, string | boolean | undefined>);
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`account-team: ${errorMessage(err)}\n`);
    process.exitCode = 1;
  },
);
