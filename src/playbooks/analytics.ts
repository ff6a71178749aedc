import { type Kysely, sql } from "kysely";
import type { RecordsPort } from "../adapters/records/port.js";
import type { Database } from "../store/schema.js";
import type { AccountSnapshot } from "./store/executions.js";
import type { PlaybookRecord } from "./store/templates.js";

/**
 * Playbook analytics: usage, completion and abandonment, duration, which steps fail most,
 * and outcome correlation: did the customers who completed the playbook renew or churn more often
 * than those who did not finish it?
 *
 * Abandoned = cancelled or failed (stopped before the end). Churned = the account's status is Churned
 * now. Renewed = its renewal date moved later than it was when the execution started (a new term).
 * Each customer counts once per group, by its latest finished execution.
 */

const rate = (n: number, d: number): number | null => (d === 0 ? null : Math.round((n / d) * 1000) / 1000);

interface Group {
  accounts: number;
  churned: number;
  renewed: number;
  churn_rate: number | null;
  renewal_rate: number | null;
  retention_rate: number | null;
}

export async function playbookAnalytics(
  db: Kysely<Database>,
  records: RecordsPort,
  playbook: PlaybookRecord,
) {
  const id = playbook.playbook_id;
  const statusRows = await db
    .selectFrom("playbook_executions")
    .select(["status", "trigger_type", sql<number>`count(*)`.as("n")])
    .where("playbook_id", "=", id)
    .groupBy(["status", "trigger_type"])
    .execute();
  const byStatus: Record<string, number> = {};
  const byTrigger: Record<string, number> = {};
  let total = 0;
  for (const r of statusRows) {
    const n = Number(r.n);
    total += n;
    byStatus[r.status] = (byStatus[r.status] ?? 0) + n;
    byTrigger[r.trigger_type] = (byTrigger[r.trigger_type] ?? 0) + n;
  }
  const completed = byStatus.completed ?? 0;
  const abandoned = (byStatus.cancelled ?? 0) + (byStatus.failed ?? 0);
  const finished = completed + abandoned;

  const duration = await db
    .selectFrom("playbook_executions")
    .select([
      sql<number | null>`avg((julianday(finished_at) - julianday(created_at)) * 86400)`.as("avg_s"),
      sql<number | null>`min((julianday(finished_at) - julianday(created_at)) * 86400)`.as("min_s"),
      sql<number | null>`max((julianday(finished_at) - julianday(created_at)) * 86400)`.as("max_s"),
    ])
    .where("playbook_id", "=", id)
    .where("status", "=", "completed")
    .executeTakeFirst();

  const stepRows = await db
    .selectFrom("playbook_step_executions as s")
    .innerJoin("playbook_executions as e", "e.id", "s.execution_id")
    .select([
      "s.step_id",
      "s.step_type",
      sql<number>`sum(case when s.status = 'completed' then 1 else 0 end)`.as("completed"),
      sql<number>`sum(case when s.status = 'failed' then 1 else 0 end)`.as("failed"),
      sql<number>`sum(case when s.status = 'skipped' then 1 else 0 end)`.as("skipped"),
      sql<number>`sum(case when s.started_at is not null then 1 else 0 end)`.as("reached"),
      sql<number | null>`avg(case when s.attempts > 0 then s.attempts end)`.as("avg_attempts"),
      sql<number>`sum(case when s.attempts > 1 then 1 else 0 end)`.as("retried"),
    ])
    .where("e.playbook_id", "=", id)
    .groupBy(["s.step_id", "s.step_type"])
    .execute();
  const names = new Map(playbook.steps.map((s) => [s.id, s.name]));
  const steps = stepRows
    .map((r) => {
      const done = Number(r.completed) + Number(r.failed);
      return {
        step_id: r.step_id,
        name: names.get(r.step_id) ?? null,
        type: r.step_type,
        reached: Number(r.reached),
        completed: Number(r.completed),
        failed: Number(r.failed),
        skipped: Number(r.skipped),
        retried: Number(r.retried),
        failure_rate: rate(Number(r.failed), done),
        average_attempts: r.avg_attempts === null ? null : Math.round(Number(r.avg_attempts) * 100) / 100,
      };
    })
    .sort(
      (a, b) =>
        (b.failure_rate ?? 0) - (a.failure_rate ?? 0) ||
        b.failed - a.failed ||
        a.step_id.localeCompare(b.step_id),
    );

  return {
    playbook_id: id,
    name: playbook.name,
    executions: {
      total,
      active:
        (byStatus.running ?? 0) +
        (byStatus.waiting ?? 0) +
        (byStatus.awaiting_approval ?? 0) +
        (byStatus.paused ?? 0),
      completed,
      failed: byStatus.failed ?? 0,
      cancelled: byStatus.cancelled ?? 0,
      by_status: byStatus,
      by_trigger: byTrigger,
    },
    completion_rate: rate(completed, finished),
    abandonment_rate: rate(abandoned, finished),
    average_duration_seconds: duration?.avg_s == null ? null : Math.round(Number(duration.avg_s)),
    min_duration_seconds: duration?.min_s == null ? null : Math.round(Number(duration.min_s)),
    max_duration_seconds: duration?.max_s == null ? null : Math.round(Number(duration.max_s)),
    steps,
    most_failing_step: steps.find((s) => s.failed > 0)?.step_id ?? null,
    outcome_correlation: await outcomes(db, records, id),
  };
}

async function outcomes(db: Kysely<Database>, records: RecordsPort, playbookId: string) {
  const rows = await db
    .selectFrom("playbook_executions")
    .select(["account_id", "status", "account_snapshot", "finished_at"])
    .where("playbook_id", "=", playbookId)
    .where("finished_at", "is not", null)
    .orderBy("finished_at")
    .execute();
  // Latest finished execution per customer decides its group.
  const latest = new Map<string, { completed: boolean; snapshot: AccountSnapshot }>();
  for (const r of rows)
    latest.set(r.account_id, {
      completed: r.status === "completed",
      snapshot: JSON.parse(r.account_snapshot) as AccountSnapshot,
    });
  const ids = [...latest.keys()];
  const current = new Map<string, { status: string; renewal_date: string | null }>();
  if (ids.length > 0) {
    for await (const page of records.iterateAccounts({ ids }))
      for (const a of page) current.set(a.id, { status: a.status, renewal_date: a.renewal_date });
  }
  const tally = (completed: boolean): Group => {
    let accounts = 0;
    let churned = 0;
    let renewed = 0;
    for (const [id, e] of latest) {
      if (e.completed !== completed) continue;
      const now = current.get(id);
      if (!now) continue;
      accounts++;
      if (now.status === "Churned") churned++;
      else if (now.renewal_date && e.snapshot.renewal_date && now.renewal_date > e.snapshot.renewal_date)
        renewed++;
    }
    return {
      accounts,
      churned,
      renewed,
      churn_rate: rate(churned, accounts),
      renewal_rate: rate(renewed, accounts),
      retention_rate: rate(accounts - churned, accounts),
    };
  };
  const done = tally(true);
  const notDone = tally(false);
  return {
    completed: done,
    not_completed: notDone,
    retention_lift:
      done.retention_rate === null || notDone.retention_rate === null
        ? null
        : Math.round((done.retention_rate - notDone.retention_rate) * 1000) / 1000,
  };
}
