import { OPEN_TICKET_STATUSES, type Ticket } from "../../../domain/types.js";
import { chunks } from "../../chunks.js";
import type { NotionContext } from "./context.js";
import { ticketFromPage } from "./page-records.js";
import { PENDING } from "./page-writes.js";
import { TICKET_PROPERTIES } from "./properties.js";

/**
 * The tickets of many accounts, by account (every id present). One query per 100 accounts (a filter
 * array holds at most 100 conditions), every page of it; `open_only` filters by status in Notion too.
 */
export async function listFor(
  ctx: NotionContext,
  accountIds: string[],
  opts: { open_only?: boolean } = {},
): Promise<Map<string, Ticket[]>> {
  const out = new Map<string, Ticket[]>(accountIds.map((id) => [id, []]));
  const property = TICKET_PROPERTIES.account_id[0];
  // Two levels of nesting at most (Notion's limit): and[ or[accounts], or[statuses] ].
  const openFilter = {
    or: OPEN_TICKET_STATUSES.map((s) => ({ property: TICKET_PROPERTIES.status[0], select: { equals: s } })),
  };
  for (const ids of chunks(accountIds, 100)) {
    const chunk = ids.filter((id) => !id.startsWith(PENDING));
    if (chunk.length === 0) continue;
    const one = (id: string) => ({ property, relation: { contains: id } });
    const byAccount = chunk.length === 1 ? one(chunk[0]!) : { or: chunk.map(one) };
    const filter = opts.open_only ? { and: [byAccount, openFilter] } : byAccount;
    for await (const pages of ctx.reader.query("tickets", { filter })) {
      for (const page of pages) {
        const m = ticketFromPage(page);
        if (!m.ok) {
          ctx.log.warn({ ticket_id: page.id, problems: m.problems }, "notion ticket skipped");
          continue;
        }
        out.get(m.value.account_id)?.push(m.value);
      }
    }
  }
  return out;
}
