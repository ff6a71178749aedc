/**
 * Exact top-k of a CSM's tasks by the current priority score without scoring every task.
 *
 * The score is a stored part plus what the clock adds, and what the clock adds is bounded by how overdue
 * a task is. So two index-ordered streams of the same tasks suffice (Fagin's threshold algorithm):
 *
 *   by a stored key descending (floor_score, or static_score), and by due_date ascending.
 *
 * Read both a batch at a time and score what was read exactly. Every task not yet read has a key no
 * higher than the last one read from the first stream and a due date no earlier than the last one read
 * from the second, so its score is at most the caller's bound of those two (scoring.ts: floorUpperBound,
 * scoreUpperBound). Once k tasks beat that bound the top k is final; when either stream runs out every
 * task has been read. Ties order by id descending, the same order as the cursor.
 */
export interface RankRow {
  id: number;
  due_date: string;
}

export interface RankStreams<R extends RankRow> {
  /** Tasks by the stored key desc, id desc, after `after` (exclusive), at most `limit`. */
  byKey(after: R | null, limit: number): Promise<R[]>;
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

// Floating error between a stored score part and the recomputed score is far below this.
const EPSILON = 1e-6;
const MAX_BATCH = 4096;

/** First batch sizes of the two streams; each doubles every round. */
export interface FirstBatches {
  key: number;
  due: number;
}
export const DEFAULT_BATCHES: FirstBatches = { key: 128, due: 128 };

export async function topByScore<R extends RankRow>(
  streams: RankStreams<R>,
  opts: {
    k: number;
    cursor: RankCursor | null;
    /** The exact score of a task. */
    score: (row: R) => number;
    /** The highest raw score of any task with a key <= lastKey's and a due date >= lastDue's. */
    bound: (lastKey: R, lastDue: R) => number;
    batches?: FirstBatches;
  },
): Promise<RankResult<R>> {
  const { k, cursor } = opts;
  const seen = new Set<number>();
  // One more than k, so the caller learns whether another page follows.
  const want = k + 1;
  let best: Ranked<R>[] = [];
  let lastKey: R | null = null;
  let lastDue: R | null = null;
  let rowsRead = 0;
  let { key: keyBatch, due: dueBatch } = opts.batches ?? DEFAULT_BATCHES;

  const consider = (row: R) => {
    if (seen.has(row.id)) return;
    seen.add(row.id);
    const score = opts.score(row);
    if (after(cursor, score, row.id)) best.push({ row, score });
  };

  for (;;) {
    const fromKey: R | null = lastKey;
    const fromDue: R | null = lastDue;
    const [s, d] = await Promise.all([streams.byKey(fromKey, keyBatch), streams.byDue(fromDue, dueBatch)]);
    rowsRead += s.length + d.length;
    for (const row of s) consider(row);
    for (const row of d) consider(row);
    best.sort((a, b) => compareRanked({ score: a.score, id: a.row.id }, { score: b.score, id: b.row.id }));
    if (best.length > want) best = best.slice(0, want);

    // Either stream exhausted: every matching task has been read.
    if (s.length < keyBatch || d.length < dueBatch) break;
    const lastS: R = s[s.length - 1]!;
    const lastD: R = d[d.length - 1]!;
    lastKey = lastS;
    lastDue = lastD;
    const bound = Math.round(opts.bound(lastS, lastD) + EPSILON);
    const kth = best[want - 1];
    // Strictly above the bound: an unread task could tie the bound and win the tie on id.
    if (kth && kth.score > bound) break;
    keyBatch = Math.min(keyBatch * 2, MAX_BATCH);
    dueBatch = Math.min(dueBatch * 2, MAX_BATCH);
  }

  return { items: best.slice(0, k), rows_read: rowsRead, has_more: best.length > k };
}
