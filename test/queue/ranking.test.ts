/**
 * The threshold ranking returns exactly what scoring every task and sorting would, page after page, for
 * any mix of customers, priorities, due dates and renewals (fast-check).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MS_PER_DAY } from "../../src/domain/calendar.js";
import { CHURN_PROBABILITY, TASK_PRIORITIES } from "../../src/domain/priority.js";
import { CHURN_LEVELS, TIERS } from "../../src/domain/types.js";
import { compareRanked, type RankCursor, type RankStreams, topByScore } from "../../src/queue/ranking.js";
import { currentScore, type ScoreInputs, scoreUpperBound, staticScore } from "../../src/queue/scoring.js";

const NOW = new Date("2026-03-18T10:00:00.000Z");
type Row = ScoreInputs & { id: number; static_score: number };

/** In-memory streams ordered like the SQL ones, counting how many rows they hand out. */
function streams(rows: Row[]): RankStreams<Row> & { read: number } {
  const byStatic = [...rows].sort((a, b) => b.static_score - a.static_score || b.id - a.id);
  const byDue = [...rows].sort((a, b) =>
    a.due_date < b.due_date ? -1 : a.due_date > b.due_date ? 1 : a.id - b.id,
  );
  const s = {
    read: 0,
    async byStatic(after: Row | null, limit: number) {
      const from = after ? byStatic.indexOf(after) + 1 : 0;
      const out = byStatic.slice(from, from + limit);
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
    return { ...inputs, id: i + 1, static_score: staticScore(inputs, CHURN_PROBABILITY) };
  });
}

const brute = (rows: Row[]) =>
  rows.map((r) => ({ id: r.id, score: currentScore(r, NOW, CHURN_PROBABILITY) })).sort(compareRanked);

async function pageThrough(rows: Row[], k: number) {
  const src = streams(rows);
  const out: Array<{ id: number; score: number }> = [];
  let cursor: RankCursor | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const page: Awaited<ReturnType<typeof topByScore<Row>>> = await topByScore(src, {
      k,
      now: NOW,
      cursor,
      score: (r) => currentScore(r, NOW, CHURN_PROBABILITY),
    });
    out.push(...page.items.map((i) => ({ id: i.row.id, score: i.score })));
    const last = page.items[page.items.length - 1];
    if (!page.has_more || !last) break;
    cursor = { score: last.score, id: last.row.id };
  }
  return { out, read: src.read };
}

describe("threshold ranking", () => {
  it("equals a brute-force ranking, on every page", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArb, { minLength: 0, maxLength: 900, size: "max" }),
        fc.integer({ min: 1, max: 60 }),
        async (specs, k) => {
          const rows = build(specs);
          const { out } = await pageThrough(rows, k);
          expect(out).toEqual(brute(rows));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("reads a fraction of a large queue for the top 50", async () => {
    const rows = build(
      fc
        .sample(rowArb, { numRuns: 20_000, seed: 7 })
        .map((s) => ({ ...s, due_offset_h: s.due_offset_h % 240 })),
    );
    const src = streams(rows);
    const page: Awaited<ReturnType<typeof topByScore<Row>>> = await topByScore(src, {
      k: 50,
      now: NOW,
      cursor: null,
      score: (r) => currentScore(r, NOW, CHURN_PROBABILITY),
    });
    expect(page.items.map((i) => i.row.id)).toEqual(
      brute(rows)
        .slice(0, 50)
        .map((r) => r.id),
    );
    expect(src.read).toBeLessThan(rows.length / 4);
  });

  it("the bound holds: no task scores above the bound of a static score and due date it does not exceed", () => {
    fc.assert(
      fc.property(rowArb, (spec) => {
        const [row] = build([spec]);
        const raw = currentScore(row!, NOW, CHURN_PROBABILITY);
        expect(raw).toBeLessThanOrEqual(
          Math.round(scoreUpperBound(row!.static_score, row!.due_date, NOW) + 1e-6),
        );
      }),
      { numRuns: 500 },
    );
  });
});
