/**
 * Reading a CSM's queue: open tasks visible now, by current priority score descending (ties: newest id
 * first), with cursor pagination. Scores are computed as of one instant per listing: the first page
 * fixes `as_of` and the cursor carries it, so later pages continue the same order even as the clock moves
 * (a fresh listing shows the fresh order).
 */
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { TaskPriority } from "../domain/priority.js";
import type { TaskTypeSlug } from "../domain/tasks/catalog-schema.js";
import type { Database } from "../store/schema.js";
import { type CustomerHealth, latestHealth } from "./customer-health.js";
import { InvalidCursorError } from "./errors.js";
import {
  DEFAULT_BATCHES,
  type FirstBatches,
  type RankCursor,
  type Ranked,
  type RankRow,
  type RankStreams,
  topByScore,
} from "./ranking.js";
import {
  type ChurnProbabilities,
  currentScore,
  FLOOR_UNSET,
  floorUpperBound,
  type ScoreInputs,
  scoreUpperBound,
} from "./scoring.js";
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

/** A queue item: the task and its customer's latest health (null before the first scan). */
export type QueueItem = CsmTask & { health: CustomerHealth | null };

export interface QueuePage {
  items: QueueItem[];
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
export function queueWhere(f: QueueFilters, nowIso: string): RawBuilder<boolean> {
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

type StreamRow = RankRow & ScoreInputs & { static_score: number; floor_score: number };
const STREAM_COLUMNS = [
  "id",
  "static_score",
  "floor_score",
  "due_date",
  "priority",
  "arr",
  "tier",
  "churn_risk",
  "renewal_date",
] as const;

/** The stored key the first stream reads by: the score floor when every floor is valid now, else the static part. */
export type KeyColumn = "floor_score" | "static_score";

function streamsFor(
  db: Kysely<Database>,
  where: RawBuilder<boolean>,
  key: KeyColumn,
): RankStreams<StreamRow> {
  return {
    byKey: (after, limit) => {
      let q = db.selectFrom("csm_tasks").select(STREAM_COLUMNS).where(where);
      if (after) q = q.where(sql<boolean>`(${sql.ref(key)}, id) < (${after[key]}, ${after.id})`);
      return q.orderBy(key, "desc").orderBy("id", "desc").limit(limit).execute();
    },
    byDue: (after, limit) => {
      let q = db.selectFrom("csm_tasks").select(STREAM_COLUMNS).where(where);
      if (after) q = q.where(sql<boolean>`(due_date, id) > (${after.due_date}, ${after.id})`);
      return q.orderBy("due_date", "asc").orderBy("id", "asc").limit(limit).execute();
    },
  };
}

/**
 * With floors, the due stream only caps the clock's growth since the floors, which changes slowly with
 * days overdue: a short read of it bounds nearly as well as a long one.
 */
const FLOOR_BATCHES: FirstBatches = { key: 128, due: 32 };

/**
 * How to bound the unread tasks of a listing at `now`. Floors serve when every one was taken (none is
 * FLOOR_UNSET) and none after `now` (a floor bounds only from its floor_at on; a later page reads as of
 * its first page's instant, and floors may have been refreshed since); otherwise the static part, which
 * holds at any instant.
 */
async function boundFor(
  db: Kysely<Database>,
  csmId: string,
  now: Date,
): Promise<{
  key: KeyColumn;
  bound: (lastKey: StreamRow, lastDue: StreamRow) => number;
  batches: FirstBatches;
}> {
  // One aggregate per query: SQLite answers a lone min() or max() with one probe of the floor_at index
  // (ORDER BY ... LIMIT 1 would sort the CSM's open tasks instead).
  const open = db.selectFrom("csm_tasks").where("csm_id", "=", csmId).where(OPEN_STATUS_SQL);
  const [first, last] = await Promise.all([
    open.select((eb) => eb.fn.min("floor_at").as("at")).executeTakeFirst(),
    open.select((eb) => eb.fn.max("floor_at").as("at")).executeTakeFirst(),
  ]);
  const oldest = first?.at ?? null;
  const newest = last?.at ?? null;
  if (oldest !== null && newest !== null && oldest > FLOOR_UNSET && newest <= now.toISOString()) {
    return {
      key: "floor_score",
      bound: (k, d) => floorUpperBound(k.floor_score, d.due_date, now, oldest),
      batches: FLOOR_BATCHES,
    };
  }
  return {
    key: "static_score",
    bound: (k, d) => scoreUpperBound(k.static_score, d.due_date, now),
    batches: DEFAULT_BATCHES,
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
    /** Filled with how many task rows the ranking read, and by which stored key (benches, tests). */
    stats?: { rows_read: number; key?: KeyColumn };
  },
): Promise<QueuePage> {
  const cursor = opts.cursor ? decodeCursor(opts.cursor) : null;
  const now = cursor ? new Date(cursor.as_of) : opts.now;
  const nowIso = now.toISOString();
  const where = queueWhere(filters, nowIso);

  const { key, bound, batches } = await boundFor(db, filters.csm_id, now);
  const [ranked, count] = await Promise.all([
    topByScore(streamsFor(db, where, key), {
      k: opts.limit,
      cursor,
      score: (row) => currentScore(row, now, opts.probabilities),
      bound,
      batches,
    }),
    db
      .selectFrom("csm_tasks")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where(where)
      .executeTakeFirstOrThrow(),
  ]);

  if (opts.stats) {
    opts.stats.rows_read = ranked.rows_read;
    opts.stats.key = key;
  }
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

/** Full rows of the ranked tasks, in rank order, with their customers' health. */
async function hydrate(
  db: Kysely<Database>,
  ranked: Ranked<StreamRow>[],
  now: Date,
  probabilities: ChurnProbabilities,
): Promise<QueueItem[]> {
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
  const health = await latestHealth(
    db,
    rows.map((r) => r.customer_id),
  );
  const out: QueueItem[] = [];
  for (const r of ranked) {
    const row = byId.get(r.row.id);
    // A task changed between ranking and reading keeps its ranked score for this page.
    if (row)
      out.push({ ...toTask(row, now, probabilities, r.score), health: health.get(row.customer_id) ?? null });
  }
  return out;
}
