/**
 * doctor and /readyz with Notion configured (through the environment, as a user configures it), against
 * the emulator: schema problems are named property by property, a scan skips the accounts it cannot read
 * with the reason, and the outbox backlog (waiting and refused writes) is reported.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NotionApi } from "../../src/adapters/records/notion/client.js";
import { accountToProperties } from "../../src/adapters/records/notion/page-records.js";
import type { DataSourceKey } from "../../src/adapters/records/notion/properties.js";
import { NotionRecords } from "../../src/adapters/records/notion/records.js";
import { createNotionDatabases } from "../../src/adapters/records/notion/setup.js";
import { skippedRows } from "../../src/agents/customer-success/health-scan/store/summary.js";
import { customerSuccessAgent } from "../../src/agents/customer-success/index.js";
import { doctorCommand } from "../../src/cli/doctor.js";
import { ManualClock, systemClock } from "../../src/clock.js";
import { testConfig } from "../../src/config.js";
import { generateDemoBook } from "../../src/demo/book.js";
import { createLogger } from "../../src/logger.js";
import type { Runtime } from "../../src/runtime.js";
import { openStore } from "../../src/store/db.js";
import { FAST_RETRY } from "../adapters/notion-stack.js";
import { NotionEmulator } from "../emulators/notion.js";
import { makeApp, makeRuntime, tempDataDir } from "../helpers/runtime.js";
import { captureStdio } from "./stdio.js";

const NOW = "2026-03-02T09:00:00.000Z";
const book = generateDemoBook({ accounts: 3, now: new Date(NOW) });

describe("doctor and /readyz on Notion", () => {
  let emu: NotionEmulator;
  let env: Record<string, string>;
  let dataSources: Record<DataSourceKey, string>;
  let accountIds: string[];
  let runtime: Runtime | undefined;

  beforeEach(async () => {
    emu = await NotionEmulator.start();
    const api = new NotionApi({ token: emu.token, baseUrl: emu.url, ratePerSec: 1000 });
    const made = await createNotionDatabases(api, emu.addParentPage());
    dataSources = Object.fromEntries(made.map((m) => [m.key, m.data_source_id])) as typeof dataSources;
    accountIds = book.accounts.map((a) => emu.addPage(dataSources.accounts, accountToProperties(a)));
    env = {
      NOTION_TOKEN: emu.token,
      NOTION_BASE_URL: emu.url,
      NOTION_RATE_LIMIT_RPS: "100",
      // Replays are driven by the test, not the timer.
      NOTION_OUTBOX_REPLAY_MS: "3600000",
      DATA_DIR: tempDataDir(),
      LOG_LEVEL: "silent",
      ...Object.fromEntries(made.map((m) => [m.env, m.database_id])),
    };
  });
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
    await emu.close();
  });

  const doctor = () => captureStdio(() => doctorCommand.run(testConfig(env), {}));
  /** doctor's lines about one Notion check ("notion Accounts", "notion outbox"). */
  const lines = (out: string, name: string) =>
    out.split("\n").filter((l) => new RegExp(`^(ok  |FAIL) notion ${name}\\s`).test(l));

  it("names each missing, mistyped or mis-linked property, and the scan skips accounts with the reason", async () => {
    // What a person might do in Notion's UI: ARR becomes text, Tier is deleted, Tickets' Account relation
    // is pointed at the QBRs data source.
    emu.editProperty(dataSources.accounts, "ARR", "rich_text");
    emu.editProperty(dataSources.accounts, "Tier", null);
    emu.relinkRelation(dataSources.tickets, "Account", dataSources.qbrs);

    const { result, out } = await doctor();
    expect(result, out).toBe(1);
    expect(out).toMatch(
      /^FAIL records\s+notion\s+Notion, 4 data sources, schema problems in Accounts, Tickets/m,
    );
    expect(lines(out, "Accounts")).toEqual([
      expect.stringMatching(
        /^FAIL notion Accounts\s+NOTION_ACCOUNTS_DB: property "Tier" is missing \(expected select\)$/,
      ),
      expect.stringMatching(
        /^FAIL notion Accounts\s+NOTION_ACCOUNTS_DB: property "ARR" is rich_text, expected number$/,
      ),
    ]);
    expect(lines(out, "Tickets")).toEqual([
      expect.stringMatching(
        new RegExp(
          `^FAIL notion Tickets\\s+NOTION_TICKETS_DB: property "Account" relates to data source ${dataSources.qbrs}, ` +
            `expected Accounts \\(${dataSources.accounts}, NOTION_ACCOUNTS_DB\\)$`,
        ),
      ),
    ]);
    expect(out).toMatch(/^ok\s+notion QBRs\s+NOTION_QBRS_DB -> data source/m);
    expect(out).toMatch(/^ok\s+notion Expansion Opportunities\s+NOTION_EXPANSION_DB -> data source/m);

    // A scan reads what it can and lists every unreadable account with Notion's problem.
    runtime = await makeRuntime({
      dataDir: env.DATA_DIR!,
      env,
      agents: [customerSuccessAgent],
      clock: new ManualClock(NOW),
    });
    expect(runtime.records.kind).toBe("notion");
    const run = await runtime.runs.dispatchAndWait(
      { agent_id: "customer-success", task: { type: "health_scan" } },
      20_000,
    );
    expect(run.status, JSON.stringify(run.result)).toBe("succeeded");
    expect(run.result).toMatchObject({ scanned: 3, scored: 0 });
    const skipped = await skippedRows(runtime.store.db, run.run_id);
    expect(skipped.map((s) => s.account_id).sort()).toEqual([...accountIds].sort());
    for (const s of skipped) {
      expect(s.reason).toContain(
        'Notion: property "Tier" is missing; property "ARR" is rich_text, expected number',
      );
    }
  });

  it("reports writes waiting in the outbox and writes Notion refused, in doctor and /readyz", async () => {
    // Writes made while Notion was down, by a service on the same store.
    const config = testConfig(env);
    const store = await openStore(config.dbPath);
    const writer = new NotionRecords({
      api: new NotionApi({
        token: emu.token,
        baseUrl: emu.url,
        ratePerSec: 1000,
        readRetry: FAST_RETRY,
        writeRetry: FAST_RETRY,
      }),
      db: store.db,
      clock: systemClock,
      log: createLogger("silent"),
      databases: {
        accounts: env.NOTION_ACCOUNTS_DB!,
        tickets: env.NOTION_TICKETS_DB!,
        qbrs: env.NOTION_QBRS_DB!,
        expansion: env.NOTION_EXPANSION_DB!,
      },
    });
    await writer.dataSources();
    emu.outage(503, 60_000);
    for (const [i, id] of accountIds.entries()) {
      await writer.updateAccount(id, { csm_health_score: 50 + i }, { idempotencyKey: `w${i}` });
    }
    await store.close();
    emu.clearFaults();

    const waiting = await doctor();
    expect(waiting.result, waiting.out).toBe(0);
    expect(waiting.out).toMatch(
      /^ok\s+notion outbox\s+3 writes waiting for Notion since \d{4}-\d\d-\d\dT[\d:.]+Z \(the running service replays them\); 0 refused by Notion$/m,
    );

    runtime = await makeRuntime({ dataDir: env.DATA_DIR!, env, agents: [customerSuccessAgent] });
    const app = await makeApp(runtime);
    const ready = async () => {
      const res = await app.inject({ method: "GET", url: "/readyz" });
      return { status: res.statusCode, backlog: res.json().checks.records_backlog };
    };
    expect(await ready()).toEqual({
      status: 200,
      backlog: {
        ok: true,
        detail: expect.stringMatching(/^3 writes waiting for notion since .+, 0 refused$/),
        pending: 3,
        failed: 0,
        oldest_pending_at: expect.any(String),
      },
    });

    // The third account's page is deleted in Notion before the replay: Notion refuses that write for good.
    emu.pages.delete(accountIds[2]!);
    const records = runtime.records as NotionRecords;
    expect(await records.replayOutbox()).toEqual({ replayed: 2, failed: 1, remaining: 0 });
    expect(await ready()).toMatchObject({
      status: 200,
      backlog: { ok: true, detail: "no writes waiting, 1 refused", pending: 0, failed: 1 },
    });
    await app.close();
    await runtime.close({ graceMs: 0 });
    runtime = undefined;

    const refused = await doctor();
    expect(refused.result).toBe(1);
    expect(lines(refused.out, "outbox")).toEqual([
      expect.stringMatching(/^FAIL notion outbox\s+no writes waiting; 1 refused by Notion$/),
      expect.stringMatching(
        new RegExp(
          `^FAIL notion outbox\\s+refused update_page of ${accountIds[2]} \\(key w2, queued [^)]+\\): .*Could not find page`,
        ),
      ),
    ]);
  });

  it("leaves /readyz without a backlog check on the local store", async () => {
    runtime = await makeRuntime({ agents: [customerSuccessAgent] });
    const app = await makeApp(runtime);
    const res = await app.inject({ method: "GET", url: "/readyz" });
    expect(res.statusCode).toBe(200);
    expect(res.json().checks.records_backlog).toBeUndefined();
    await app.close();
  });
});
