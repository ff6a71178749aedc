import type { Kysely } from "kysely";
import type { Clock } from "../../../clock.js";
import type { Database } from "../../../store/schema.js";
import type { SideEffects } from "../../../store/side-effects.js";

/** What the local store's parts (accounts, tickets, QBRs, opportunities, sub-pages) share. */
export interface LocalContext {
  db: Kysely<Database>;
  /** Creates run once per idempotency key. */
  effects: SideEffects;
  clock: Clock;
}
