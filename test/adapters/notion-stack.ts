/** A Notion records store over the loopback emulator: four databases made by the setup code, a local store. */
import { NotionApi, type RetryPolicy } from "../../src/adapters/records/notion/client.js";
import { accountToProperties, ticketToProperties } from "../../src/adapters/records/notion/page-records.js";
import type { DataSourceKey } from "../../src/adapters/records/notion/properties.js";
import { NotionRecords } from "../../src/adapters/records/notion/records.js";
import { createNotionDatabases } from "../../src/adapters/records/notion/setup.js";
import type { Clock } from "../../src/clock.js";
import { systemClock } from "../../src/clock.js";
import type { Account, Ticket } from "../../src/domain/types.js";
import { createLogger } from "../../src/logger.js";
import { openStore, type StoreHandle } from "../../src/store/db.js";
import { NotionEmulator, type NotionEmulatorOptions } from "../emulators/notion.js";

/** Retries scaled down for tests: same shape as the defaults, milliseconds instead of seconds. */
export const FAST_RETRY: RetryPolicy = {
  retries: 4,
  minTimeoutMs: 5,
  maxTimeoutMs: 40,
  maxRetryTimeMs: 5_000,
};

export interface NotionStack {
  emu: NotionEmulator;
  api: NotionApi;
  records: NotionRecords;
  store: StoreHandle;
  /** Database ids by data source key (what NOTION_*_DB hold). */
  databases: Record<DataSourceKey, string>;
  dataSources: Record<DataSourceKey, string>;
  parentPageId: string;
  close(): Promise<void>;
}

export interface NotionStackOptions {
  emulator?: NotionEmulatorOptions;
  ratePerSec?: number;
  windowMs?: number;
  burst?: number;
  readRetry?: RetryPolicy;
  writeRetry?: RetryPolicy;
  replayIntervalMs?: number;
  clock?: Clock;
  dbPath?: string;
}

export async function startNotionStack(opts: NotionStackOptions = {}): Promise<NotionStack> {
  const emu = await NotionEmulator.start(opts.emulator);
  const api = new NotionApi({
    token: emu.token,
    baseUrl: emu.url,
    ratePerSec: opts.ratePerSec ?? 1000,
    ...(opts.windowMs ? { windowMs: opts.windowMs } : {}),
    ...(opts.burst ? { burst: opts.burst } : {}),
    readRetry: opts.readRetry ?? FAST_RETRY,
    writeRetry: opts.writeRetry ?? FAST_RETRY,
  });
  const parentPageId = emu.addParentPage();
  const made = await createNotionDatabases(api, parentPageId);
  const databases = Object.fromEntries(made.map((m) => [m.key, m.database_id])) as Record<
    DataSourceKey,
    string
  >;
  const dataSources = Object.fromEntries(made.map((m) => [m.key, m.data_source_id])) as Record<
    DataSourceKey,
    string
  >;
  const store = await openStore(opts.dbPath ?? ":memory:");
  const records = new NotionRecords({
    api,
    db: store.db,
    clock: opts.clock ?? systemClock,
    log: createLogger("silent"),
    databases,
    replayIntervalMs: opts.replayIntervalMs ?? 50,
  });
  return {
    emu,
    api,
    records,
    store,
    databases,
    dataSources,
    parentPageId,
    async close() {
      await records.close();
      await store.close();
      await emu.close();
    },
  };
}

/** Loads accounts and tickets straight into the emulator; returns fixture account id -> page id. */
export function seedNotion(
  stack: NotionStack,
  accounts: Account[],
  tickets: Ticket[] = [],
): Map<string, string> {
  const ids = new Map<string, string>();
  for (const a of accounts)
    ids.set(a.id, stack.emu.addPage(stack.dataSources.accounts, accountToProperties(a)));
  for (const t of tickets) {
    const { id: _id, ...rest } = t;
    const accountPage = ids.get(t.account_id);
    if (!accountPage) continue;
    stack.emu.addPage(stack.dataSources.tickets, ticketToProperties({ ...rest, account_id: accountPage }));
  }
  return ids;
}
