/**
 * /readyz reports the records store's write backlog: writes the system of record (Notion) has not yet
 * taken, kept in the store-backed outbox and replayed. A backlog leaves the service ready, since accepting
 * work while Notion is down is what the outbox is for, so the check reports the counts without failing
 * readiness; only a store that cannot say is a failed check. Registered when this module loads (app.ts).
 */

import { errorMessage } from "../../errors.js";
import { readinessChecks } from "./health.js";

type Check = { ok: boolean; detail: string };

readinessChecks.push(async (runtime): Promise<Record<string, Check>> => {
  const records = runtime.records;
  if (!records.backlog) return {};
  try {
    const b = await records.backlog();
    const detail =
      (b.pending === 0
        ? "no writes waiting"
        : `${b.pending} writes waiting for ${records.kind} since ${b.oldest_pending_at}`) +
      `, ${b.failed} refused`;
    const check: Check & typeof b = { ok: true, detail, ...b };
    return { records_backlog: check };
  } catch (err) {
    return { records_backlog: { ok: false, detail: errorMessage(err) } };
  }
});
