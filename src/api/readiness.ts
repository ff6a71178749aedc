/**
 * What /readyz checks, in the order it reports them: the store answers, the runtime has started and
 * accepts runs, and the records store's write backlog.
 *
 * The backlog is the writes the system of record (Notion) has not yet taken, kept in the store-backed
 * outbox and replayed. A backlog leaves the service ready, since accepting work while Notion is down is
 * what the outbox is for, so the check reports the counts without failing readiness; only a store that
 * cannot say is a failed check.
 */
import { errorMessage } from "../errors.js";
import type { AppDeps } from "./route.js";

export type Check = { ok: boolean; detail: string };
export type ReadinessDeps = Pick<AppDeps, "store" | "started" | "runs" | "records">;
type ReadinessCheck = (deps: ReadinessDeps) => Promise<Record<string, Check>>;

async function storeCheck(deps: ReadinessDeps): Promise<Record<string, Check>> {
  try {
    await deps.store.ping();
    return { store: { ok: true, detail: "SQLite reachable" } };
  } catch (err) {
    return { store: { ok: false, detail: errorMessage(err) } };
  }
}

async function runtimeCheck(deps: ReadinessDeps): Promise<Record<string, Check>> {
  const accepting = deps.runs.isAccepting;
  return {
    runtime: {
      ok: deps.started && accepting,
      detail: !deps.started ? "starting" : accepting ? "accepting runs" : "shutting down",
    },
  };
}

async function recordsBacklogCheck(deps: ReadinessDeps): Promise<Record<string, Check>> {
  const records = deps.records;
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
}

export const READINESS_CHECKS: readonly ReadinessCheck[] = [storeCheck, runtimeCheck, recordsBacklogCheck];

/** Every check's result by name, and whether all passed. */
export async function readiness(
  deps: ReadinessDeps,
): Promise<{ ready: boolean; checks: Record<string, Check> }> {
  const checks: Record<string, Check> = {};
  for (const check of READINESS_CHECKS) Object.assign(checks, await check(deps));
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}
