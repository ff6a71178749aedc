import type { Clock } from "../../../clock.js";
import type { Logger } from "../../../logger.js";
import type { NotionApi } from "./client.js";
import type { NotionOutbox } from "./outbox.js";
import type { PageKeys } from "./page-keys.js";
import type { NotionReader } from "./reader.js";
import type { NotionWriter } from "./writer.js";

/** What the Notion store's parts (accounts, tickets, QBRs, opportunities, sub-pages) share. */
export interface NotionContext {
  api: NotionApi;
  clock: Clock;
  log: Logger;
  reader: NotionReader;
  /** Writes go through the writer (ordered, idempotent, queued while Notion is down) ... */
  writer: NotionWriter;
  /** ... and reads show what is still queued in the outbox, so the agents see what they wrote. */
  outbox: NotionOutbox;
  pageKeys: PageKeys;
  /** Writes in flight at once (a batch of account writes). */
  writeConcurrency: number;
}
