import { describe, expect, it } from "vitest";
import {
  decodeScanAccount,
  encodeScanAccount,
} from "../../../../../src/agents/customer-success/health-scan/store/stored-forms.js";
import {
  type HealthDetail,
  SCAN_ACCOUNT_FIELDS,
  scoreAccount,
} from "../../../../../src/agents/customer-success/scoring.js";
import { csmSettings } from "../../../../../src/agents/customer-success/settings.js";
import { testConfig } from "../../../../../src/config.js";
import { CSM_SIGNALS } from "../../../../../src/domain/health/csm-score.js";
import { isOpenTicket } from "../../../../../src/domain/types.js";
import {
  decodeHealthDetail,
  encodeHealthDetail,
  SIGNAL_CODES,
} from "../../../../../src/store/health-detail.js";
import { demoBook, NOW } from "../../helpers.js";

const now = new Date(NOW);
const settings = csmSettings(testConfig());
const day = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();

/** The detail of every scorable demo account, with and without history (trend present and absent). */
function details(): HealthDetail[] {
  const out: HealthDetail[] = [];
  for (const account of demoBook.accounts) {
    const openTickets = demoBook.tickets.filter((t) => t.account_id === account.id && isOpenTicket(t)).length;
    for (const withHistory of [false, true]) {
      const o = scoreAccount(
        {
          account,
          openTickets,
          extraEscalations: withHistory ? 1 : 0,
          history: withHistory
            ? [
                { at: day(20), score: 81.5 },
                { at: day(6), score: 77 },
              ]
            : [],
          previous: withHistory ? { score: 77, rag: "GREEN", at: day(6) } : null,
        },
        now,
        settings,
      );
      if (o.kind === "scored") out.push(o.detail);
    }
  }
  return out;
}

describe("stored forms of the health scan", () => {
  const all = details();

  it("decodes every stored detail to the object that was stored, key for key", () => {
    expect(all.length).toBeGreaterThan(50);
    expect(all.some((d) => d.trend === null) && all.some((d) => d.trend !== null)).toBe(true);
    expect(all.some((d) => d.missing_signals.length > 0)).toBe(true);
    for (const detail of all) {
      const text = encodeHealthDetail(detail);
      const back = decodeHealthDetail(text);
      expect(back).toEqual(detail);
      // Same keys in the same order: the API answers with this object as it is.
      expect(JSON.stringify(back)).toBe(JSON.stringify(detail));
    }
  });

  it("numbers every signal for storage, append only", () => {
    expect([...SIGNAL_CODES].sort()).toEqual([...CSM_SIGNALS].sort());
    // The numbers are stored: the first eleven never move.
    expect(SIGNAL_CODES.slice(0, 3)).toEqual(["feature_adoption", "usage_trend", "days_since_login"]);
    expect(SIGNAL_CODES[10]).toBe("escalations_90d");
    expect(() =>
      decodeHealthDetail(
        '{"v":2,"b":[[99,1,1,1,1,1]],"m":[],"dc":1,"c":"high","td":[],"tm":1,"t":null,"ch":["low",0,0,[],0,[]],"ps":null,"pr":null,"ot":0,"te":0}',
      ),
    ).toThrow(/unknown signal #99/);
  });

  it("stores the detail in well under half the bytes of the keyed form", () => {
    const keyed = all.reduce((n, d) => n + JSON.stringify(d).length, 0);
    const stored = all.reduce((n, d) => n + encodeHealthDetail(d).length, 0);
    expect(stored / keyed).toBeLessThan(0.45);
  });

  it("still reads details written in the keyed form, and no detail as null", () => {
    const detail = all[0]!;
    expect(decodeHealthDetail(JSON.stringify(detail))).toEqual(detail);
    // Positional rows that name their signals decode too.
    const named = JSON.parse(encodeHealthDetail(detail)) as { b: unknown[][] };
    for (const entry of named.b) entry[0] = SIGNAL_CODES[entry[0] as number];
    expect(decodeHealthDetail(JSON.stringify(named))).toEqual(detail);
    expect(decodeHealthDetail(null)).toBeNull();
    expect(decodeHealthDetail("")).toBeNull();
    expect(() => decodeHealthDetail("{not json")).toThrow(SyntaxError);
  });

  it("round-trips the account snapshot of a scan input, keyed rows included", () => {
    for (const account of demoBook.accounts) {
      const snapshot = Object.fromEntries(SCAN_ACCOUNT_FIELDS.map((f) => [f, account[f]]));
      const back = decodeScanAccount(encodeScanAccount(account));
      expect(back).toEqual(snapshot);
      expect(Object.keys(back)).toEqual([...SCAN_ACCOUNT_FIELDS]);
      expect(decodeScanAccount(JSON.stringify(snapshot))).toEqual(snapshot);
    }
    const first = demoBook.accounts[0]!;
    expect(encodeScanAccount(first).length).toBeLessThan(
      JSON.stringify(Object.fromEntries(SCAN_ACCOUNT_FIELDS.map((f) => [f, first[f]]))).length * 0.75,
    );
  });
});
