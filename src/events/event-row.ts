import type { Selectable } from "kysely";
import type { EventsTable } from "../store/schema.js";
import type { BusEvent, EventType } from "./catalogue.js";

/** A row of the event log as the event it records (optional ids left out when null). */
export const toEvent = (row: Selectable<EventsTable>): BusEvent => ({
  seq: row.seq,
  id: row.id,
  type: row.type as EventType,
  at: row.at,
  source: row.source,
  ...(row.account_id ? { account_id: row.account_id } : {}),
  ...(row.run_id ? { run_id: row.run_id } : {}),
  payload: JSON.parse(row.payload),
});
