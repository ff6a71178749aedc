/** QBR pages: one per account and quarter, found by both, written once per idempotency key. */
import { qbrRecord } from "../new-records.js";
import type { QbrInput, QbrRecord, WriteOptions } from "../port.js";
import type { NotionContext } from "./context.js";
import { NotionConfigError } from "./errors.js";
import { qbrFromPage, qbrToProperties } from "./page-records.js";
import { latestQueued, PENDING, writePage } from "./page-writes.js";
import { QBR_PROPERTIES } from "./properties.js";

/** The account's latest QBR of the quarter; one still queued counts. */
export async function find(
  ctx: NotionContext,
  accountId: string,
  quarter: string,
): Promise<QbrRecord | null> {
  const queued = await latestQueued<QbrRecord>(
    ctx,
    "qbr",
    (r) => r.account_id === accountId && r.quarter === quarter,
  );
  if (queued) return queued;
  if (accountId.startsWith(PENDING)) return null;
  const filter = {
    and: [
      { property: QBR_PROPERTIES.account_id[0], relation: { contains: accountId } },
      { property: QBR_PROPERTIES.quarter[0], rich_text: { equals: quarter } },
    ],
  };
  const sorts = [{ timestamp: "created_time", direction: "descending" }];
  for await (const pages of ctx.reader.query("qbrs", { filter, sorts, pageSize: 1 })) {
    const page = pages[0];
    if (!page) return null;
    const m = qbrFromPage(page);
    if (!m.ok) throw new NotionConfigError(`QBR ${page.id}: ${m.problems.join("; ")}`);
    return m.value;
  }
  return null;
}

export async function write(
  ctx: NotionContext,
  input: QbrInput,
  opts: WriteOptions & { replaceId?: string },
): Promise<QbrRecord> {
  const key = `qbr:${opts.idempotencyKey}`;
  const now = ctx.clock.now().toISOString();
  const provisional = qbrRecord(input, {
    id: opts.replaceId ?? `${PENDING}${key}`,
    url: null,
    created_at: now,
    updated_at: now,
  });
  const ds = await ctx.reader.source("qbrs");
  return writePage<QbrRecord>(ctx, key, "qbr", provisional, {
    properties: qbrToProperties(input, ds.schema),
    body: input.body,
    parent: { data_source_id: ds.data_source_id },
    ...(opts.replaceId ? { replaceId: opts.replaceId } : {}),
  });
}
