/**
 * The threshold ranking returns exactly what scoring every task and sorting would, page after page, for
 * any mix of customers, priorities, due dates, renewals and score floors of any age (fast-check), with
 * either stored key: the score floor or the static part.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MS_PER_DAY } from "../../src/domain/calendar.js";
import { CHURN_PROBABILITY, TASK_PRIORITIES } from "../../src/domain/priority.js";
import { CHURN_LEVELS, TIERS } from "../../src/domain/types.js";
import { compareRanked, type RankCursor, type RankStreams, topByScore } from "../../src/queue/ranking.js";
import {
  currentRawScore,
  currentScore,
  FLOOR_UNSET,
  floorUpperBound,
  type ScoreInputs,
  scoreUpperBound,
  staticScore,
} from "../../src/queue/scoring.js";

const NOW = new Date("2026-03-18T10:00:00.000Z");
type Row = ScoreInputs & { id: number; static_score: number; floor_score: number; floor_at: string };
type Key = "floor_score" | "static_score";

/** In-memory streams ordered like the SQL ones, counting how many rows they hand out. */
function streams(rows: Row[], key: Key): RankStreams<Row> & { read: number } {
  const byKey = [...rows].sort((a, b) => b[key] - a[key] || b.id - a.id);
  const byDue = [...rows].sort((a, b) =>
    a.due_date < b.due_date ? -1 : a.due_date > b.due_date ? 1 : a.id - b.id,
  );
  const s = {
    read: 0,
    async byKey(after: Row | null, limit: number) {
      const from = after ? byKey.indexOf(after) + 1 : 0;
      const out = byKey.slice(from, from + limit);
      s.read += out.length;
      return out;
    },
    async byDue(after: Row | null, limit: number) {
      const from = after ? byDue.indexOf(after) + 1 : 0;
      const out = byDue.slice(from, from + limit);
      s.read += out.length;
      return out;
    },
  };
  return s;
}

const rowArb = fc.record({
  arr: fc.option(fc.integer({ min: 0, max: 3_000_000 }), { nil: null }),
  tier: fc.option(fc.constantFrom(...TIERS), { nil: null }),
  churn_risk: fc.option(fc.constantFrom(...CHURN_LEVELS), { nil: null }),
  priority: fc.constantFrom(...TASK_PRIORITIES),
  due_offset_h: fc.integer({ min: -60 * 24, max: 10 * 24 }),
  renewal_offset_d: fc.option(fc.integer({ min: -40, max: 400 }), { nil: null }),
  // When the floor was taken, in hours before NOW; null: never (the column default).
  floor_h: fc.option(fc.integer({ min: 0, max: 24 * 5 }), { nil: null, freq: 8 }),
});

type Spec = typeof rowArb extends fc.Arbitrary<infer T> ? T : never;

function build(specs: Spec[]): Row[] {
  return specs.map((s, i) => {
    const inputs = {
      arr: s.arr,
      tier: s.tier,
      churn_risk: s.churn_risk,
      priority: s.priority,
      due_date: new Date(NOW.getTime() - s.due_offset_h * 3_600_000).toISOString(),
      renewal_date:
        s.renewal_offset_d === null
          ? null
          : new Date(NOW.getTime() + s.renewal_offset_d * MS_PER_DAY).toISOString().slice(0, 10),
    };
    const static_score = staticScore(inputs, CHURN_PROBABILITY);
    const at = s.floor_h === null ? null : new Date(NOW.getTime() - s.floor_h * 3_600_000);
    const floor = at
      ? { floor_score: currentRawScore(inputs, at, CHURN_PROBABILITY), floor_at: at.toISOString() }
      : { floor_score: 0, floor_at: FLOOR_UNSET };
    return { ...inputs, id: i + 1, static_score, ...floor };
  });
}

/** As queue-read: floors bounded from the oldest one when every floor is taken, else the static part. */
function keyFor(rows: Row[]): Key {
  return rows.some((r) => r.floor_at === FLOOR_UNSET) ? "static_score" : "floor_score";
}

function boundOf(rows: Row[], key: Key) {
  const oldest = rows.reduce((m, r) => (r.floor_at < m ? r.floor_at : m), NOW.toISOString());
  return key === "floor_score"
    ? (k: Row, d: Row) => floorUpperBound(k.floor_score, d.due_date, NOW, oldest)
    : (k: Row, d: Row) => scoreUpperBound(k.static_score, d.due_date, NOW);
}

/** The exact score, memoized per row: paging re-reads rows, and the property runs many pages. */
function scorer() {
  const memo = new WeakMap<Row, number>();
  return (r: Row) => {
    let v = memo.get(r);
    if (v === undefined) {
      v = currentScore(r, NOW, CHURN_PROBABILITY);
      memo.set(r, v);
    }
    return v;
  };
}

const brute = (rows: Row[]) =>
  rows.map((r) => ({ id: r.id, score: currentScore(r, NOW, CHURN_PROBABILITY) })).sort(compareRanked);

async function pageThrough(rows: Row[], k: number, key: Key) {
  const src = streams(rows, key);
  const out: Array<{ id: number; score: number }> = [];
  let cursor: RankCursor | null = null;
  const score = scorer();
  const bound = boundOf(rows, key);
  for (let guard = 0; guard < 1000; guard++) {
    const page: Awaited<ReturnType<typeof topByScore<Row>>> = await topByScore(src, {
      k,
      cursor,
      score,
      bound,
    });
    out.push(...page.items.map((i) => ({ id: i.row.id, score: i.score })));
    const last = page.items[page.items.length - 1];
    if (!page.has_more || !last) break;
    cursor = { score: last.score, id: last.row.id };
  }
  return { out, read: src.read };
}

describe("threshold ranking", () => {
  it.each([
    "floor_score",
    "static_score",
  ] as const)("by %s: equals a brute-force ranking, on every page", async (key) => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { minLength: 0, maxLength: 900, size: "max" }),
        fc.integer({ min: 1, max: 60 }),
        async (specs, k) => {
          const rows = build(
            // The floor key needs every floor taken; the static key holds either way.
            key === "floor_score" ? specs.map((s) => ({ ...s, floor_h: s.floor_h ?? 0 })) : specs,
          );
          expect(keyFor(rows) === key || key === "static_score").toBe(true);
          const { out } = await pageThrough(rows, k, key);
          expect(out).toEqual(brute(rows));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("reads a fraction of a large queue for the top 50; young floors read far less than the static part", async () => {
    const rows = build(
      fc
        .sample(rowArb, { numRuns: 20_000, seed: 7 })
        .map((s) => ({ ...s, due_offset_h: s.due_offset_h % 240, floor_h: 12 })),
    );
    const want = brute(rows)
      .slice(0, 50)
      .map((r) => r.id);
    const read: Record<Key, number> = { floor_score: 0, static_score: 0 };
    for (const key of ["floor_score", "static_score"] as const) {
      const src = streams(rows, key);
      const page = await topByScore(src, { k: 50, cursor: null, score: scorer(), bound: boundOf(rows, key) });
      expect(page.items.map((i) => i.row.id)).toEqual(want);
      read[key] = src.read;
    }
    expect(read.static_score).toBeLessThan(rows.length / 4);
    expect(read.floor_score).toBeLessThan(read.static_score / 2);
  });

  it("the bounds hold: no task scores above the bound of a key and due date it does not exceed", () => {
    fc.assert(
      fc.property(rowArb, fc.integer({ min: 0, max: 24 * 5 }), (spec, olderBy) => {
        const [row] = build([spec]);
        const score = currentScore(row!, NOW, CHURN_PROBABILITY);
        expect(score).toBeLessThanOrEqual(
          Math.round(scoreUpperBound(row!.static_score, row!.due_date, NOW) + 1e-6),
        );
        if (row!.floor_at === FLOOR_UNSET) return;
        // Bounded from its own floor time, or from any older one.
        const oldest = new Date(Date.parse(row!.floor_at) - olderBy * 3_600_000).toISOString();
        for (const from of [row!.floor_at, oldest]) {
          expect(score).toBeLessThanOrEqual(
            Math.round(floorUpperBound(row!.floor_score, row!.due_date, NOW, from) + 1e-6),
          );
        }
        // And the floor is a lower bound: the score never fell since it was taken.
        expect(Math.round(row!.floor_score)).toBeLessThanOrEqual(score);
      }),
      { numRuns: 2000 },
    );
  });
});
