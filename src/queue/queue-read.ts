/**
 * Reading a CSM's queue: open tasks visible now, by current priority score descending (ties: newest id
 * first), with cursor pagination. Scores are computed as of one instant per listing: the first page
 * fixes `as_of` and the cursor carries it, so later pages continue the same order even as the clock moves
 * (a fresh listing shows the fresh order).
 */
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { TaskPriority } from "../domain/priority.js";
import type { Database } from "../store/schema.js";
import type { TaskTypeSlug } from "./catalog.js";
import { InvalidCursorError } from "./errors.js";
import { type RankCursor, type Ranked, type RankRow, type RankStreams, topByScore } from "./ranking.js";
import { type ChurnProbabilities, currentScore, type ScoreInputs } from "./scoring.js";
import { type TaskRow, toTask } from "./task-rows.js";
import { OPEN_STATUS_SQL } from "./task-writer.js";
import type { CsmTask, QueueStatus } from "./types.js";

export interface QueueFilters {
  csm_id: string;
  status?: QueueStatus | undefined;
  task_type?: TaskTypeSlug | undefined;
  priority?: TaskPriority | undefined;
  /** ISO instants; due_date < due_before, due_date > due_after. */
  due_before?: string | undefined;
  due_after?: string | undefined;
}

export interface QueuePage {
  items: CsmTask[];
  total: number;
  next_cursor: string | null;
  /** The instant the scores were computed for. */
  as_of: string;
}

interface CursorState extends RankCursor {
  as_of: string;
}

export function encodeCursor(c: CursorState): string {
  return Buffer.from(JSON.stringify({ s: c.score, i: c.id, t: c.as_of })).toString("base64url");
}

export function decodeCursor(raw: string): CursorState {
  try {
    const v = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as {
      s: unknown;
      i: unknown;
      t: unknown;
    };
    if (
      typeof v.s === "number" &&
      Number.isInteger(v.s) &&
      typeof v.i === "number" &&
      Number.isInteger(v.i) &&
      typeof v.t === "string" &&
      !Number.isNaN(Date.parse(v.t))
    ) {
      return { score: v.s, id: v.i, as_of: new Date(v.t).toISOString() };
    }
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}

/** The WHERE of a queue listing. The literal open-status term lets SQLite use the partial indexes. */
function queueWhere(f: QueueFilters, nowIso: string): RawBuilder<boolean> {
  const terms: RawBuilder<unknown>[] = [sql`csm_id = ${f.csm_id}`, OPEN_STATUS_SQL];
  switch (f.status) {
    case undefined:
      terms.push(sql`(status <> 'snoozed' OR snooze_until <= ${nowIso})`);
      break;
    case "pending":
      terms.push(sql`(status = 'pending' OR (status = 'snoozed' AND snooze_until <= ${nowIso}))`);
      break;
    case "in_progress":
      terms.push(sql`status = 'in_progress'`);
      break;
    case "snoozed":
      terms.push(sql`(status = 'snoozed' AND snooze_until > ${nowIso})`);
      break;
  }
  if (f.task_type) terms.push(sql`task_type = ${f.task_type}`);
  if (f.priority) terms.push(sql`priority = ${f.priority}`);
  if (f.due_before) terms.push(sql`due_date < ${f.due_before}`);
  if (f.due_after) terms.push(sql`due_date > ${f.due_after}`);
  return sql<boolean>`${sql.join(terms, sql` AND `)}`;
}

type StreamRow = RankRow & ScoreInputs;
const STREAM_COLUMNS = [
  "id",
  "static_score",
  "due_date",
  "priority",
  "arr",
  "tier",
  "churn_risk",
  "renewal_date",
] as const;

function streamsFor(db: Kysely<Database>, where: RawBuilder<boolean>): RankStreams<StreamRow> {
  return {
    byStatic: (after, limit) => {
      let q = db.selectFrom("csm_tasks").select(STREAM_COLUMNS).where(where);
      if (after) q = q.where(sql<boolean>`(static_score, id) < (${after.static_score}, ${after.id})`);
      return q.orderBy("static_score", "desc").orderBy("id", "desc").limit(limit).execute();
    },
    byDue: (after, limit) => {
      let q = db.selectFrom("csm_tasks").select(STREAM_COLUMNS).where(where);
      if (after) q = q.where(sql<boolean>`(due_date, id) > (${after.due_date}, ${after.id})`);
      return q.orderBy("due_date", "asc").orderBy("id", "asc").limit(limit).execute();
    },
  };
}

export async function readQueue(
  db: Kysely<Database>,
  filters: QueueFilters,
  opts: {
    limit: number;
    cursor: string | null;
    now: Date;
    probabilities: ChurnProbabilities;
    /** Filled with how many task rows the ranking read (benches). */
    stats?: { rows_read: number };
  },
): Promise<QueuePage> {
  const cursor = opts.cursor ? decodeCursor(opts.cursor) : null;
  const now = cursor ? new Date(cursor.as_of) : opts.now;
  const nowIso = now.toISOString();
  const where = queueWhere(filters, nowIso);

  const [ranked, count] = await Promise.all([
    topByScore(streamsFor(db, where), {
      k: opts.limit,
      now,
      cursor,
      score: (row) => currentScore(row, now, opts.probabilities),
    }),
    db
      .selectFrom("csm_tasks")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where(where)
      .executeTakeFirstOrThrow(),
  ]);

  if (opts.stats) opts.stats.rows_read = ranked.rows_read;
  const items = await hydrate(db, ranked.items, now, opts.probabilities);
  const last = ranked.items[ranked.items.length - 1];
  return {
    items,
    total: Number(count.n),
    next_cursor:
      ranked.has_more && last ? encodeCursor({ score: last.score, id: last.row.id, as_of: nowIso }) : null,
    as_of: nowIso,
  };
}

/** Full rows of the ranked tasks, in rank order. */
async function hydrate(
  db: Kysely<Database>,
  ranked: Ranked<StreamRow>[],
  now: Date,
  probabilities: ChurnProbabilities,
): Promise<CsmTask[]> {
  if (ranked.length === 0) return [];
  const rows = await db
    .selectFrom("csm_tasks")
    .selectAll()
    .where(
      "id",
      "in",
      ranked.map((r) => r.row.id),
    )
    .execute();
  const byId = new Map<number, TaskRow>(rows.map((r) => [r.id, r]));
  const out: CsmTask[] = [];
  for (const r of ranked) {
    const row = byId.get(r.row.id);
    // A task changed between ranking and reading keeps its ranked score for this page.
    if (row) out.push(toTask(row, now, probabilities, r.score));
  }
  return out;
}
