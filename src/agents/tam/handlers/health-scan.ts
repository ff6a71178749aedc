/**
 * TAM `health_scan` {account_id?} (issue 6, item 2): start -> score -> persist -> escalate -> summarize.
 * Reads each account's Tickets, scores technical health with the domain rules, writes Health Score,
 * Health Status and Last Health Scan, and escalates at most TAM_ESCALATIONS_MAX_PER_SCAN accounts,
 * de-duplicated like CSM alerts. An escalation one of whose channels failed is finished by a later scan
 * at the same status within the repeat window: selected first, under its first key, so only the failed
 * channels run. Bulk rows live in tam_scan_results; graph state holds the scan instant.
 */
import { addDays } from "../../../domain/calendar.js";
import { scoreTamHealth, shouldEscalate, type TamHealthResult } from "../../../domain/health/tam-score.js";
import {
  type DeferredEscalation,
  deferredToday,
  escalationKey,
  escalationPriority,
  repeatSuppression,
  stillDue,
} from "../../../domain/tam-escalation.js";
import type { Account, TamStatus, Ticket } from "../../../domain/types.js";
import { errorMessage } from "../../../errors.js";
import { type NodeFn, TaskRejected } from "../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../deps.js";
import { failedChannels } from "../../shared/alert-channels.js";
import { parseTaskOrReject } from "../../shared/task-input.js";
import { raiseEscalation } from "../escalation.js";
import * as store from "../scan-store.js";
import { type HealthScanTask, healthScanTask } from "../tasks.js";

const PAGE = 500;
const SCANNED_STATUSES: Account["status"][] = ["Active", "Onboarding"];
const MAX_LISTED = 500;

/**
 * One account through the TAM rules; never throws (unusable data becomes a skip with its reason).
 * `deferred` is an escalation an earlier scan deferred and nobody raised since: still due, it escalates.
 */
export function scoreAccountRow(
  account: Account,
  tickets: readonly Ticket[],
  now: Date,
  deferred?: DeferredEscalation,
): store.NewTamRow {
  const base = { account_id: account.id, account_name: account.name, arr: account.arr };
  if (!SCANNED_STATUSES.includes(account.status)) {
    return { ...base, outcome: { kind: "skipped", reason: `status is ${account.status}: not scanned` } };
  }
  let health: TamHealthResult;
  try {
    health = scoreTamHealth({ tickets, last_heartbeat: account.last_heartbeat, now });
  } catch (err) {
    return { ...base, outcome: { kind: "skipped", reason: `unusable technical data: ${errorMessage(err)}` } };
  }
  const previous = account.health_status;
  const decision = shouldEscalate(health, previous);
  const due = decision.escalate ? null : stillDue(health.status, deferred);
  const reasons = due ? [due] : decision.reasons;
  return {
    ...base,
    outcome: {
      kind: "scored",
      score: health.score,
      status: health.status,
      previous_status: previous,
      open_tickets: health.open_tickets,
      aged_p1_p2: health.aged_p1_p2,
      escalate: decision.escalate || due !== null,
      detail: { penalties: health.penalties, escalation_reasons: reasons },
    },
  };
}

const scanAtOf = (scratch: Record<string, unknown>): string => {
  const at = scratch.scan_at;
  if (typeof at !== "string") throw new Error("scan_at missing from the scan's state");
  return at;
};

function start(deps: AgentDeps): NodeFn {
  return async (ctx) => {
    parseTaskOrReject(healthScanTask, ctx.task, "health_scan task");
    const now = deps.clock.now();
    await store.deleteScansBefore(deps.store.db, addDays(now, -store.TAM_SCAN_RETENTION_DAYS).toISOString());
    return { scratch: { scan_at: now.toISOString() } };
  };
}

async function* accountPages(deps: AgentDeps, task: HealthScanTask): AsyncIterable<Account[]> {
  if (task.account_id) {
    const account = await deps.records.getAccount(task.account_id);
    if (!account) throw new TaskRejected(`account ${task.account_id} not found`);
    yield [account];
    return;
  }
  yield* deps.records.iterateAccounts({ status: SCANNED_STATUSES, pageSize: PAGE });
}

function score(deps: AgentDeps): NodeFn {
  return async (ctx) => {
    const task = ctx.task as HealthScanTask;
    const scanAt = scanAtOf(ctx.scratch);
    const now = new Date(scanAt);
    const db = deps.store.db;
    let done = 0;
    for await (const page of accountPages(deps, task)) {
      // A re-run of this node keeps the rows it already wrote (the first snapshot wins).
      const existing = new Set(
        (
          await db
            .selectFrom("tam_scan_results")
            .select("account_id")
            .where("run_id", "=", ctx.run_id)
            .where(
              "account_id",
              "in",
              page.map((a) => a.id),
            )
            .execute()
        ).map((r) => r.account_id),
      );
      const unscanned = page.filter((a) => !existing.has(a.id));
      const ids = unscanned.map((a) => a.id);
      const tickets =
        unscanned.length > 0 ? await deps.records.listTicketsFor(ids, { open_only: true }) : new Map();
      const deferred = await store.pendingDeferrals(db, ctx.run_id, ids);
      const rows = unscanned.map((a) => scoreAccountRow(a, tickets.get(a.id) ?? [], now, deferred.get(a.id)));
      await store.insertRows(db, ctx.run_id, scanAt, rows);
      done += page.length;
      ctx.progress({ phase: "score", done, total: done });
    }
    const counts = await store.countRows(db, ctx.run_id);
    return { scratch: { scored: counts.scored, skipped: counts.skipped } };
  };
}

function persist(deps: AgentDeps): NodeFn {
  return async (ctx) => {
    const scanAt = scanAtOf(ctx.scratch);
    const total = Number(ctx.scratch.scored ?? 0);
    let after = "";
    let done = 0;
    for (;;) {
      const rows = await store.unpersistedPage(deps.store.db, ctx.run_id, after, PAGE);
      if (rows.length === 0) break;
      const statuses: Array<{ account_id: string; status: "written" | "failed" }> = [];
      for (const row of rows) {
        try {
          await deps.records.updateAccount(
            row.account_id,
            {
              health_score: row.score,
              health_status: row.health_status as TamStatus,
              last_health_scan: scanAt,
            },
            { idempotencyKey: `tam-health:${row.account_id}:${ctx.run_id}` },
          );
          statuses.push({ account_id: row.account_id, status: "written" });
        } catch (err) {
          // One account's failed write never fails the scan; the summary counts it.
          deps.log.warn({ err, account_id: row.account_id, run_id: ctx.run_id }, "TAM health write failed");
          statuses.push({ account_id: row.account_id, status: "failed" });
        }
      }
      await store.setRecordsStatus(deps.store.db, ctx.run_id, statuses);
      done += rows.length;
      after = rows[rows.length - 1]!.account_id;
      ctx.progress({ phase: "persist", done, total: Math.max(total, done) });
    }
    return {};
  };
}

async function decide(deps: AgentDeps, runId: string, now: Date, scanAt: string): Promise<void> {
  const undecided = await store.undecidedEscalations(deps.store.db, runId);
  if (undecided.length === 0) return;
  const ids = undecided.map((r) => r.account_id);
  const states = await store.escalationStates(deps.store.db, ids);
  // Like CSM alerts: a second scan the same day does not spend a fresh budget on accounts deferred today.
  const today = await store.deferredSince(deps.store.db, runId, ids, `${scanAt.slice(0, 10)}T00:00:00.000Z`);
  const decisions: store.EscalationDecisionRow[] = [];
  const eligible: store.TamRow[] = [];
  // Earlier escalations with a failed channel, still at the same status in their window: finished first.
  const retries: Array<{ row: store.TamRow; state: store.EscalationState }> = [];
  for (const row of undecided) {
    const state = states.get(row.account_id);
    const suppressed = repeatSuppression(
      row.health_status as TamStatus,
      state,
      now,
      deps.config.ALERT_REPEAT_DAYS,
    );
    if (suppressed && state?.failed_channels?.length && state.last_status === row.health_status) {
      retries.push({ row, state });
      continue;
    }
    const waiting = suppressed
      ? null
      : deferredToday(row.health_status as TamStatus, today.get(row.account_id));
    if (suppressed)
      decisions.push({
        account_id: row.account_id,
        status: "suppressed",
        reason: suppressed,
        key: null,
        rank: null,
      });
    else if (waiting)
      decisions.push({
        account_id: row.account_id,
        status: "deferred",
        reason: waiting,
        key: null,
        rank: null,
      });
    else eligible.push(row);
  }
  const byPriority = (a: store.TamRow, b: store.TamRow) =>
    escalationPriority(b.arr, b.score ?? 0) - escalationPriority(a.arr, a.score ?? 0) ||
    a.account_id.localeCompare(b.account_id);
  const max = deps.config.TAM_ESCALATIONS_MAX_PER_SCAN;
  // One line for the budget: unfinished escalations first, then new ones, each by priority.
  const contenders: Array<{ row: store.TamRow; state?: store.EscalationState }> = [
    ...retries.sort((a, b) => byPriority(a.row, b.row)),
    ...eligible.sort(byPriority).map((row) => ({ row })),
  ];
  contenders.forEach(({ row, state }, i) => {
    const rank = i + 1;
    const unfinished = state
      ? { on: state.last_escalated_at.slice(0, 10), failed: state.failed_channels!.join(", ") }
      : null;
    decisions.push(
      rank <= max
        ? {
            account_id: row.account_id,
            status: "selected",
            reason: unfinished
              ? `finishing the escalation of ${unfinished.on}: ${unfinished.failed} failed then`
              : null,
            key: state
              ? state.last_key
              : escalationKey(row.account_id, row.health_status as TamStatus, scanAt),
            rank,
          }
        : {
            account_id: row.account_id,
            status: "deferred",
            reason: unfinished
              ? `the escalation of ${unfinished.on} still has ${unfinished.failed} to deliver; over the limit of ${max} escalations per scan`
              : `over the limit of ${max} escalations per scan`,
            key: null,
            rank,
          },
    );
  });
  await store.decideEscalations(deps.store.db, runId, decisions);
}

function escalate(deps: AgentDeps): NodeFn {
  return async (ctx) => {
    const scanAt = scanAtOf(ctx.scratch);
    const now = new Date(scanAt);
    await decide(deps, ctx.run_id, now, scanAt);
    const selected = await store.rowsWithEscalation(deps.store.db, ctx.run_id, "selected");
    // Selected under the key of the account's last escalation: finishing that one (its failed channels).
    const states = await store.escalationStates(
      deps.store.db,
      selected.map((r) => r.account_id),
    );
    let done = 0;
    for (const row of selected) {
      const retry = states.get(row.account_id)?.last_key === row.escalation_key;
      const detail = store.rowDetail(row);
      try {
        const account = await deps.records.getAccount(row.account_id);
        if (!account) throw new Error(`account ${row.account_id} not found in the records`);
        const tickets = await deps.records.listTickets(row.account_id);
        const health: TamHealthResult = {
          score: row.score ?? 0,
          status: row.health_status as TamStatus,
          penalties: detail.penalties,
          open_tickets: row.open_tickets,
          aged_p1_p2: row.aged_p1_p2,
        };
        const outcome = await raiseEscalation(deps, {
          account,
          health,
          previous_status: row.previous_status as TamStatus | null,
          reasons: detail.escalation_reasons,
          tickets,
          key: row.escalation_key!,
          run_id: ctx.run_id,
          scan_at: scanAt,
        });
        const failed = failedChannels(outcome.channels);
        if (failed.length < 4 || retry) {
          await store.recordEscalation(deps.store.db, {
            account_id: row.account_id,
            status: health.status,
            score: health.score,
            at: scanAt,
            key: row.escalation_key!,
            run_id: ctx.run_id,
            failed,
            ...(retry ? { retry } : {}),
          });
        }
        await store.markRaised(deps.store.db, ctx.run_id, row.account_id, {
          channels: outcome.channels,
          failed_channels: failed,
          generated_by: outcome.generated_by,
          subject: outcome.subject,
          ...(retry ? { retry } : {}),
        });
      } catch (err) {
        deps.log.warn({ err, account_id: row.account_id, run_id: ctx.run_id }, "TAM escalation failed");
        await store.markRaised(deps.store.db, ctx.run_id, row.account_id, { error: errorMessage(err) });
      }
      done++;
      ctx.progress({ phase: "escalate", done, total: selected.length });
    }
    return {};
  };
}

function summarize(deps: AgentDeps): NodeFn {
  return async (ctx) => {
    const db = deps.store.db;
    const counts = await store.countRows(db, ctx.run_id);
    const rows = await store.summaryRows(db, ctx.run_id, 100_000);
    const scored = rows.filter((r) => r.status === "scored");
    const raised = rows.filter((r) => r.escalation_status === "raised");
    const escalations = raised
      .sort((a, b) => (a.escalation_rank ?? 0) - (b.escalation_rank ?? 0))
      .map((r) => {
        const res = r.escalation_result ? (JSON.parse(r.escalation_result) as Record<string, unknown>) : {};
        return {
          account_id: r.account_id,
          account_name: r.account_name,
          score: r.score,
          status: r.health_status,
          previous_status: r.previous_status,
          reasons: store.rowDetail(r).escalation_reasons,
          ...(typeof res.error === "string"
            ? { error: res.error }
            : { failed_channels: res.failed_channels ?? [], generated_by: res.generated_by ?? null }),
          // Finishing an earlier escalation whose channels failed: only those channels ran.
          ...(res.retry === true ? { retry: true } : {}),
        };
      });
    const recordsFailed = scored.filter((r) => r.records_status === "failed").length;
    return {
      result: {
        scanned: counts.scored + counts.skipped,
        scored: counts.scored,
        skipped: rows
          .filter((r) => r.status === "skipped")
          .slice(0, MAX_LISTED)
          .map((r) => ({ account_id: r.account_id, reason: r.skip_reason })),
        records_written: scored.filter((r) => r.records_status === "written").length,
        records_failed: recordsFailed,
        escalations_raised: escalations.filter((e) => !("error" in e)).length,
        escalations,
        // Next in line first: by rank (deferred over the limit), then those waiting since an earlier scan.
        escalations_deferred: rows
          .filter((r) => r.escalation_status === "deferred")
          .sort(
            (a, b) =>
              (a.escalation_rank ?? Number.MAX_SAFE_INTEGER) -
                (b.escalation_rank ?? Number.MAX_SAFE_INTEGER) || a.account_id.localeCompare(b.account_id),
          )
          .map((r) => ({
            account_id: r.account_id,
            score: r.score,
            status: r.health_status,
            reason: r.escalation_reason,
          })),
        escalations_suppressed: rows
          .filter((r) => r.escalation_status === "suppressed")
          .map((r) => ({ account_id: r.account_id, reason: r.escalation_reason })),
        health_scores: scored
          .sort((a, b) => (a.score ?? 0) - (b.score ?? 0) || a.account_id.localeCompare(b.account_id))
          .slice(0, MAX_LISTED)
          .map((r) => ({
            account_id: r.account_id,
            score: r.score,
            status: r.health_status,
            previous_status: r.previous_status,
            open_tickets: r.open_tickets,
            aged_p1_p2: r.aged_p1_p2,
          })),
        health_scores_truncated: scored.length > MAX_LISTED,
        // Like a CSM scan: anything that did not reach its channel lowers the confidence a reader can place.
        confidence:
          recordsFailed > 0 ||
          escalations.some(
            (e) => "error" in e || (Array.isArray(e.failed_channels) && e.failed_channels.length > 0),
          )
            ? "medium"
            : "high",
      },
    };
  };
}

export function healthScanHandler(deps: AgentDeps): Array<readonly [string, NodeFn]> {
  return [
    ["start", start(deps)],
    ["score", score(deps)],
    ["persist", persist(deps)],
    ["escalate", escalate(deps)],
    ["summarize", summarize(deps)],
  ];
}
