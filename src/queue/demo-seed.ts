/**
 * Load the demo task history (demo-history.ts) once: only with the demo book on, on the embedded records
 * store, when the book has accounts and the queue has no task yet. A restart, or a book someone already
 * worked in, is left alone.
 */
import type { Kysely } from "kysely";
import type { RecordsPort } from "../adapters/records/port.js";
import type { Config } from "../config.js";
import { churnLevelFor } from "../domain/tasks/churn-level.js";
import type { Account, ChurnLevel } from "../domain/types.js";
import { isOpenTicket } from "../domain/types.js";
import type { Database } from "../store/schema.js";
import type { CatalogIndex } from "./catalog-store.js";
import { generateDemoHistory } from "./demo-history.js";
import type { ChurnProbabilities } from "./scoring.js";

export interface DemoSeedDeps {
  db: Kysely<Database>;
  records: RecordsPort;
  config: Config;
}

async function taskCount(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("csm_tasks")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function seedDemoHistory(
  deps: DemoSeedDeps,
  catalog: CatalogIndex,
  probabilities: ChurnProbabilities,
  now: Date,
): Promise<{ tasks: number; outcomes: number } | null> {
  if (!deps.config.DEMO_BOOK || deps.records.kind !== "local") return null;
  if ((await taskCount(deps.db)) > 0) return null;

  const accounts: Account[] = [];
  const levels = new Map<string, ChurnLevel | null>();
  for await (const page of deps.records.iterateAccounts()) {
    const tickets = await deps.records.listTicketsFor(
      page.filter((a) => a.churn_risk === null).map((a) => a.id),
      { open_only: true },
    );
    for (const a of page) {
      accounts.push(a);
      const churn = churnLevelFor(a, {
        now,
        openTickets: (tickets.get(a.id) ?? []).filter(isOpenTicket).length,
        fallingFast: false,
        thresholds: { green: deps.config.RAG_GREEN_MIN, amber: deps.config.RAG_AMBER_MIN },
        weights: deps.config.CSM_HEALTH_WEIGHTS,
      });
      levels.set(a.id, churn.level);
    }
  }
  if (accounts.length === 0) return null;
  const history = generateDemoHistory(accounts, catalog, { now, churnLevels: levels, probabilities });

  return deps.db.transaction().execute(async (trx) => {
    // Checked again inside the transaction: two boots racing on one store seed once.
    if ((await taskCount(trx)) > 0) return null;
    let outcomes = 0;
    for (const { task, outcomes: rows } of history) {
      const { id } = await trx.insertInto("csm_tasks").values(task).returning("id").executeTakeFirstOrThrow();
      if (rows.length > 0) {
        await trx
          .insertInto("csm_task_outcomes")
          .values(rows.map((o) => ({ ...o, task_id: id })))
          .execute();
        outcomes += rows.length;
      }
    }
    return { tasks: history.length, outcomes };
  });
}
