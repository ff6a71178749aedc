/** Expansion opportunity pages: listed per account with the queued ones, created once, moved along by status. */
import { notFound } from "../../../errors.js";
import { newExpansionRecord } from "../new-records.js";
import type { ExpansionInput, ExpansionRecord, OpportunityStatus, WriteOptions } from "../port.js";
import type { NotionContext } from "./context.js";
import { isMissingPage } from "./errors.js";
import { expansionFromPage, expansionStatusToProperties, expansionToProperties } from "./page-records.js";
import { PENDING, queuedCreates, toTarget, writePage } from "./page-writes.js";
import { EXPANSION_PROPERTIES } from "./properties.js";

export async function list(ctx: NotionContext, accountId: string): Promise<ExpansionRecord[]> {
  const out: ExpansionRecord[] = [];
  if (!accountId.startsWith(PENDING)) {
    const filter = { property: EXPANSION_PROPERTIES.account_id[0], relation: { contains: accountId } };
    const sorts = [{ timestamp: "created_time", direction: "ascending" }];
    for await (const pages of ctx.reader.query("expansion", { filter, sorts })) {
      for (const page of pages) {
        const m = expansionFromPage(page);
        if (m.ok) out.push(m.value);
        else ctx.log.warn({ page_id: page.id, problems: m.problems }, "notion opportunity skipped");
      }
    }
  }
  out.push(
    ...(await queuedCreates<ExpansionRecord>(
      ctx,
      "expansion",
      (r) => r.account_id === accountId && !out.some((o) => o.id === r.id),
    )),
  );
  // Queued status changes show as made.
  const updates = await ctx.outbox.pendingFor(out.map((r) => toTarget(r.id)));
  for (const e of updates) {
    if (e.write.op !== "update_page") continue;
    const target = e.write.target;
    const rec = out.find((r) => toTarget(r.id) === target);
    if (rec) Object.assign(rec, e.write.fields);
  }
  return out;
}

export async function create(
  ctx: NotionContext,
  input: ExpansionInput,
  opts: WriteOptions,
): Promise<ExpansionRecord> {
  const key = `expansion:${opts.idempotencyKey}`;
  const provisional = newExpansionRecord(input, `${PENDING}${key}`, ctx.clock.now().toISOString());
  const ds = await ctx.reader.source("expansion");
  return writePage<ExpansionRecord>(ctx, key, "expansion", provisional, {
    properties: expansionToProperties(input, ds.schema),
    body: [],
    parent: { data_source_id: ds.data_source_id },
  });
}

export async function setStatus(
  ctx: NotionContext,
  id: string,
  status: OpportunityStatus,
  opts: WriteOptions,
): Promise<void> {
  const ds = await ctx.reader.source("expansion");
  const target = await ctx.pageKeys.pageOf(toTarget(id));
  try {
    await ctx.writer.submit({
      op: "update_page",
      target,
      key: opts.idempotencyKey,
      properties: expansionStatusToProperties(status, ds.schema),
      fields: { status, updated_at: ctx.clock.now().toISOString() },
    });
  } catch (err) {
    if (isMissingPage(err)) throw notFound(`expansion opportunity ${id}`);
    throw err;
  }
}
