import type { RecordsPort } from "./port.js";

/**
 * Open (Open or Pending) tickets per account, from any records port: counted by the store where it can
 * (the embedded one, in SQL), otherwise by listing the open ones (`open_only`, which every store honours:
 * the records contract test checks it). Every id is in the map.
 */
export async function openTicketCounts(
  records: RecordsPort,
  accountIds: string[],
): Promise<Map<string, number>> {
  if (accountIds.length === 0) return new Map();
  if (records.countOpenTicketsFor) return records.countOpenTicketsFor(accountIds);
  const tickets = await records.listTicketsFor(accountIds, { open_only: true });
  return new Map(accountIds.map((id) => [id, tickets.get(id)?.length ?? 0]));
}
