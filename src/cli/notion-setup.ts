/**
 * `account-team notion-setup --parent PAGE_ID`: create the Accounts, Tickets, QBRs and Expansion
 * Opportunities databases (with the properties in DATA_SOURCES) under a Notion page the integration can
 * edit, then print the env lines to paste into .env. Progress and problems go to stderr, so stdout is the
 * env lines alone.
 */
import { APIResponseError } from "@notionhq/client";
import { notionApi } from "../adapters/real.js";
import type { NotionApi } from "../adapters/records/notion/client.js";
import { DATA_SOURCES } from "../adapters/records/notion/properties.js";
import { type CreatedDatabase, createNotionDatabases } from "../adapters/records/notion/setup.js";
import type { Config } from "../config.js";
import { errorMessage } from "../errors.js";
import type { Command } from "./command.js";

export interface SetupIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * A page id as Notion shows it anywhere: a UUID with or without dashes, or the page's URL
 * (https://www.notion.so/Account-Team-0123456789abcdef0123456789abcdef?pvs=4). Null when none is found.
 */
export function parsePageId(input: string): string | null {
  let text = input.trim();
  try {
    text = new URL(text).pathname;
  } catch {
    // Not a URL: an id.
  }
  const hex = text.replace(/-/g, "").match(/[0-9a-f]{32}$/i)?.[0];
  if (!hex) return null;
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The .env lines for what was made. */
export function envLines(made: CreatedDatabase[]): string {
  return made.map((m) => `${m.env}=${m.database_id}\n`).join("");
}

function explain(err: unknown, parentId: string): string {
  if (APIResponseError.isAPIResponseError(err)) {
    switch (err.code) {
      case "unauthorized":
        return "Notion refused NOTION_TOKEN (unauthorized): check the integration's secret";
      case "object_not_found":
        return (
          `page ${parentId} was not found, or is not shared with the integration: open the page in Notion, ` +
          `then ... > Connections > add your integration`
        );
      case "restricted_resource":
        return `the integration may not create content under page ${parentId}: give it edit access to the page`;
      default:
        return `Notion answered ${err.status} ${err.code}: ${err.message}`;
    }
  }
  return errorMessage(err);
}

/** Create the four databases under `parentId` and print the env lines. Returns the exit code. */
export async function runNotionSetup(api: NotionApi, parentId: string, io: SetupIo): Promise<number> {
  const made: CreatedDatabase[] = [];
  try {
    await createNotionDatabases(api, parentId, (m) => {
      made.push(m);
      io.err(`created ${DATA_SOURCES[m.key].title}: database ${m.database_id}\n`);
    });
  } catch (err) {
    io.err(`notion-setup: ${explain(err, parentId)}\n`);
    if (made.length > 0) {
      // Say what exists, so the person can paste it or delete it before running again.
      io.err(`these databases were created before the failure:\n${envLines(made)}`);
    }
    return 1;
  }
  io.out(`# Notion databases under page ${parentId}: paste into .env\n${envLines(made)}`);
  const problems = made.flatMap((m) =>
    m.problems.map((p) => `${m.env} (${DATA_SOURCES[m.key].title}): ${p}`),
  );
  if (problems.length > 0) {
    io.err(`the databases were read back with schema problems:\n${problems.map((p) => `  ${p}\n`).join("")}`);
    return 1;
  }
  io.err("schema verified; run `account-team doctor` after pasting the lines to check the configuration\n");
  return 0;
}

const DB_VARS = ["NOTION_ACCOUNTS_DB", "NOTION_TICKETS_DB", "NOTION_QBRS_DB", "NOTION_EXPANSION_DB"] as const;

export const notionSetupCommand: Command = {
  name: "notion-setup",
  usage: "notion-setup --parent PAGE_ID [--force]",
  summary: "Create the four Notion databases under a page and print the env lines to paste",
  options: { parent: { type: "string" }, force: { type: "boolean" } },
  async run(config: Config, args) {
    const io: SetupIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };
    if (typeof args.parent !== "string" || args.parent.trim() === "") {
      io.err(
        "notion-setup: --parent PAGE_ID is required (the id or URL of a page the integration can edit)\n",
      );
      return 2;
    }
    const parentId = parsePageId(args.parent);
    if (!parentId) {
      io.err(`notion-setup: "${args.parent}" is not a Notion page id or page URL\n`);
      return 2;
    }
    if (!config.NOTION_TOKEN) {
      io.err("notion-setup: NOTION_TOKEN is not set (the internal integration's secret)\n");
      return 2;
    }
    const already = DB_VARS.filter((v) => config[v]);
    if (already.length > 0 && !args.force) {
      io.err(
        `notion-setup: ${already.join(", ")} already set; this makes a new set of databases. ` +
          "Pass --force to do it anyway, or run `account-team doctor` to check the configured ones.\n",
      );
      return 2;
    }
    return runNotionSetup(notionApi(config), parentId, io);
  },
};
