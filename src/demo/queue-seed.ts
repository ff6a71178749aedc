/**
 * Give a fresh demo book its task history (queue-history.ts), once: only on the embedded records store,
 * when the book has accounts and the queue has no task yet. A restart, or a book someone already worked
 * in, is left alone. The composition root calls this after the queue has started, with the demo book on.
 */
import type { RecordsPort } from "../adapters/records/port.js";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import { churnLevelFor } from "../domain/tasks/churn-level.js";
import type { Account, ChurnLevel } from "../domain/types.js";
import { isOpenTicket } from "../domain/types.js";
import type { TaskQueue } from "../queue/service.js";
import { generateDemoHistory } from "./queue-history.js";

export type DemoHistoryQueue = Pick<TaskQueue, "catalog" | "probabilities" | "isEmpty" | "importHistory">;

export async function seedDemoTaskHistory(
  queue: DemoHistoryQueue,
  deps: { records: RecordsPort; config: Config; clock: Clock },
): Promise<{ tasks: number; outcomes: number } | null> {
  const { records, config } = deps;
  if (records.kind !== "local") return null;
  if (!(await queue.isEmpty())) return null;

  const now = deps.clock.now();
  const accounts: Account[] = [];
  const levels = new Map<string, ChurnLevel | null>();
  for await (const page of records.iterateAccounts()) {
    const tickets = await records.listTicketsFor(
      page.filter((a) => a.churn_risk === null).map((a) => a.id),
      { open_only: true },
    );
    for (const a of page) {
      accounts.push(a);
      const churn = churnLevelFor(a, {
        now,
        openTickets: (tickets.get(a.id) ?? []).filter(isOpenTicket).length,
        fallingFast: false,
        thresholds: { green: config.RAG_GREEN_MIN, amber: config.RAG_AMBER_MIN },
        weights: config.CSM_HEALTH_WEIGHTS,
      });
      levels.set(a.id, churn.level);
    }
  }
  if (accounts.length === 0) return null;
  const catalog = await queue.catalog();
  const history = generateDemoHistory(accounts, catalog, {
    now,
    churnLevels: levels,
    probabilities: queue.probabilities,
  });
  return queue.importHistory(history);
}
