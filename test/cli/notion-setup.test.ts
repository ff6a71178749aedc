/** `account-team notion-setup --parent PAGE_ID` against the Notion emulator, then doctor on what it made. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NotionApi } from "../../src/adapters/records/notion/client.js";
import { DATA_SOURCES, type DataSourceKey } from "../../src/adapters/records/notion/properties.js";
import { COMMANDS } from "../../src/cli/commands.js";
import { doctorCommand } from "../../src/cli/doctor.js";
import { notionSetupCommand, runNotionSetup } from "../../src/cli/notion-setup.js";
import { testConfig } from "../../src/config.js";
import { FAST_RETRY } from "../adapters/notion-stack.js";
import { NotionEmulator } from "../emulators/notion.js";
import { tempDataDir } from "../helpers/runtime.js";
import { captureStdio } from "./stdio.js";

const ENV_LINE = /^(NOTION_\w+_DB)=([0-9a-f-]{36})$/;

describe("account-team notion-setup", () => {
  let emu: NotionEmulator;
  let parent: string;
  let env: Record<string, string>;
  beforeEach(async () => {
    emu = await NotionEmulator.start();
    parent = emu.addParentPage("Account Team");
    env = {
      NOTION_TOKEN: emu.token,
      NOTION_BASE_URL: emu.url,
      NOTION_RATE_LIMIT_RPS: "100",
      DATA_DIR: tempDataDir(),
    };
  });
  afterEach(async () => {
    await emu.close();
  });

  it("is a registered command", () => {
    expect(COMMANDS.map((c) => c.name)).toContain("notion-setup");
  });

  it("creates the four databases under the page, prints the env lines, and doctor accepts them", async () => {
    const url = `https://www.notion.so/Account-Team-${parent.replace(/-/g, "")}`;
    const { result, out, err } = await captureStdio(() =>
      notionSetupCommand.run(testConfig(env), { parent: url }),
    );
    expect(result, err).toBe(0);

    // stdout is a comment and the four lines, nothing else: it can be appended to .env as is.
    const lines = out.trim().split("\n");
    expect(lines[0]).toMatch(/^# /);
    const pasted = Object.fromEntries(lines.slice(1).map((l) => l.match(ENV_LINE)!.slice(1, 3)));
    expect(Object.keys(pasted)).toEqual([
      "NOTION_ACCOUNTS_DB",
      "NOTION_TICKETS_DB",
      "NOTION_QBRS_DB",
      "NOTION_EXPANSION_DB",
    ]);
    expect(err).toContain("schema verified");

    // Under the parent page, titled as DATA_SOURCES names them, with every property at its type.
    const children = emu.childrenOf(parent).filter((b) => b.type === "child_database");
    expect(children.map((b) => (b.child_database as { title: string }).title)).toEqual([
      "Accounts",
      "Tickets",
      "QBRs",
      "Expansion Opportunities",
    ]);
    const dsOf = (dbId: string) => emu.dataSources.get(emu.databases.get(dbId)!.data_sources[0]!)!;
    for (const [key, spec] of Object.entries(DATA_SOURCES) as Array<
      [DataSourceKey, (typeof DATA_SOURCES)[DataSourceKey]]
    >) {
      const ds = dsOf(pasted[spec.env]!);
      expect(ds.title).toBe(spec.title);
      for (const [name, p] of Object.entries(spec.properties)) {
        expect(ds.properties.get(name)?.type, `${key}.${name}`).toBe(p.type);
        if (p.type === "select") {
          const options = (ds.properties.get(name)!.config.options as Array<{ name: string }>).map(
            (o) => o.name,
          );
          expect(options).toEqual([...(p.options ?? [])]);
        }
      }
    }
    const accountsDs = dsOf(pasted.NOTION_ACCOUNTS_DB!).id;
    for (const env of ["NOTION_TICKETS_DB", "NOTION_QBRS_DB", "NOTION_EXPANSION_DB"]) {
      expect(dsOf(pasted[env]!).properties.get("Account")!.config.data_source_id).toBe(accountsDs);
    }

    // Pasted into the configuration, doctor finds Notion as the records store and the schema as expected.
    const doctor = await captureStdio(() =>
      doctorCommand.run(testConfig({ ...env, ...pasted, LOG_LEVEL: "silent" }), {}),
    );
    expect(doctor.result, doctor.out).toBe(0);
    expect(doctor.out).toMatch(/^ok\s+records\s+notion\s+Notion, 4 data sources/m);
    for (const title of ["Accounts", "Tickets", "QBRs", "Expansion Opportunities"]) {
      expect(doctor.out).toMatch(new RegExp(`^ok\\s+notion ${title}\\s+NOTION_\\w+_DB -> data source`, "m"));
    }
  });

  it("explains a page the integration cannot see, and creates nothing", async () => {
    const missing = "0123abcd-4567-89ef-0123-456789abcdef";
    const { result, out, err } = await captureStdio(() =>
      notionSetupCommand.run(testConfig(env), { parent: missing }),
    );
    expect(result).toBe(1);
    expect(out).toBe("");
    expect(err).toContain(`page ${missing} was not found, or is not shared with the integration`);
    expect(emu.databases.size).toBe(0);
  });

  it("says which databases exist when a later one fails", async () => {
    const api = new NotionApi({
      token: emu.token,
      baseUrl: emu.url,
      ratePerSec: 1000,
      readRetry: FAST_RETRY,
      writeRetry: FAST_RETRY,
    });
    const create = api.sdk.databases.create;
    let calls = 0;
    api.sdk.databases.create = (args) => {
      // The second create (Tickets) meets a 500: a create is not sent again, it may have been applied.
      if (++calls === 2) emu.failNext(1, 500);
      return create(args);
    };
    let out = "";
    let err = "";
    const code = await runNotionSetup(api, parent, {
      out: (t) => {
        out += t;
      },
      err: (t) => {
        err += t;
      },
    });
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err).toMatch(/notion-setup: Notion answered 500 internal_server_error/);
    const accountsDb = [...emu.databases.values()].find((d) => d.title === "Accounts")!;
    expect(err).toContain(
      `these databases were created before the failure:\nNOTION_ACCOUNTS_DB=${accountsDb.id}\n`,
    );
    expect(emu.databases.size).toBe(1);
  });

  it("refuses bad arguments, a missing token, and a second set unless forced", async () => {
    const run = (config: Record<string, string>, args: Record<string, string | boolean>) =>
      captureStdio(() => notionSetupCommand.run(testConfig(config), args));
    expect((await run(env, {})).result).toBe(2);
    expect((await run(env, { parent: "not a page" })).err).toMatch(/is not a Notion page id or page URL/);
    const { NOTION_TOKEN: _t, ...noToken } = env;
    expect((await run(noToken, { parent })).err).toMatch(/NOTION_TOKEN is not set/);
    const configured = await run({ ...env, NOTION_ACCOUNTS_DB: parent }, { parent });
    expect(configured.result).toBe(2);
    expect(configured.err).toMatch(/NOTION_ACCOUNTS_DB already set/);
    expect(emu.databases.size).toBe(0);
    expect((await run({ ...env, NOTION_ACCOUNTS_DB: parent }, { parent, force: true })).result).toBe(0);
    expect(emu.databases.size).toBe(4);
  });
});
