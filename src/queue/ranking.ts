/**
 * Exact top-k of a CSM's tasks by the current §1.3 score without scoring every task.
 *
 * The score is static_score + tier * overdue(days past due) + renewal_bonus, and the clock-dependent
 * part is bounded: tier <= MAX_TIER_MULTIPLIER, bonus <= MAX_RENEWAL_BONUS, and overdue grows as the due
 * date gets earlier. So two index-ordered streams of the same tasks suffice (Fagin's threshold algorithm):
 *
 *   by static_score descending, and by due_date ascending.
 *
 * Read both a batch at a time and score what was read exactly. Every task not yet read has a static score
 * no higher than the last one read from the first stream and a due date no earlier than the last one read
 * from the second, so its score is at most scoreUpperBound(those two). Once k tasks beat that bound the
 * top k is final; when either stream runs out every task has been read. Ties order by id descending, the
 * same order as the cursor.
 */
import { scoreUpperBound } from "./scoring.js";

export interface RankRow {
  id: number;
  static_score: number;
  due_date: string;
}

export interface RankStreams<R extends RankRow> {
  /** Tasks by static_score desc, id desc, after `after` (exclusive), at most `limit`. */
  byStatic(after: R | null, limit: number): Promise<R[]>;
  /** Tasks by due_date asc, id asc, after `after` (exclusive), at most `limit`. */
  byDue(after: R | null, limit: number): Promise<R[]>;
}

/** A position in the queue order: items strictly after it come next. */
export interface RankCursor {
  score: number;
  id: number;
}

export interface Ranked<R> {
  row: R;
  score: number;
}

export interface RankResult<R> {
  items: Ranked<R>[];
  /** Task rows read from the store (both streams), for the bench. */
  rows_read: number;
  /** Whether more items follow the last one returned. */
  has_more: boolean;
}

/** Queue order: score descending, then id descending. */
export const compareRanked = (a: { score: number; id: number }, b: { score: number; id: number }): number =>
  b.score - a.score || b.id - a.id;

const after = (c: RankCursor | null, score: number, id: number): boolean =>
  c === null || score < c.score || (score === c.score && id < c.id);

// Floating error between the stored static score and the recomputed one is far below this.
const EPSILON = 1e-6;
const FIRST_BATCH = 128;
const MAX_BATCH = 4096;

export async function topByScore<R extends RankRow>(
  streams: RankStreams<R>,
  opts: { k: number; now: Date; cursor: RankCursor | null; score: (row: R) => number },
): Promise<RankResult<R>> {
  const { k, now, cursor } = opts;
  const seen = new Set<number>();
  // One more than k, so the caller learns whether another page follows.
  const want = k + 1;
  let best: Ranked<R>[] = [];
  let lastStatic: R | null = null;
  let lastDue: R | null = null;
  let rowsRead = 0;
  let batch = FIRST_BATCH;

  const consider = (row: R) => {
    if (seen.has(row.id)) return;
    seen.add(row.id);
    const score = opts.score(row);
    if (after(cursor, score, row.id)) best.push({ row, score });
  };

  for (;;) {
    const fromStatic: R | null = lastStatic;
    const fromDue: R | null = lastDue;
    const [s, d] = await Promise.all([streams.byStatic(fromStatic, batch), streams.byDue(fromDue, batch)]);
    rowsRead += s.length + d.length;
    for (const row of s) consider(row);
    for (const row of d) consider(row);
    best.sort((a, b) => compareRanked({ score: a.score, id: a.row.id }, { score: b.score, id: b.row.id }));
    if (best.length > want) best = best.slice(0, want);

    // Either stream exhausted: every matching task has been read.
    if (s.length < batch || d.length < batch) break;
    const lastS: R = s[s.length - 1]!;
    const lastD: R = d[d.length - 1]!;
    lastStatic = lastS;
    lastDue = lastD;
    const bound = Math.round(scoreUpperBound(lastS.static_score, lastD.due_date, now) + EPSILON);
    const kth = best[want - 1];
    // Strictly above the bound: an unread task could tie the bound and win the tie on id.
    if (kth && kth.score > bound) break;
    batch = Math.min(batch * 2, MAX_BATCH);
  }

  return { items: best.slice(0, k), rows_read: rowsRead, has_more: best.length > k };
}
