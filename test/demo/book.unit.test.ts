import { createHash } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type DemoBook, generateDemoBook, tierForArr } from "../../src/demo/book.js";
import { DEMO_ACCOUNT_EXECUTIVES, DEMO_CSMS } from "../../src/demo/names.js";
import {
  DEMO_SCENARIO_MIX,
  DEMO_SCENARIOS,
  type DemoScenario,
  scenarioCounts,
} from "../../src/demo/scenarios.js";
import { daysSince, daysUntil, hoursBetween } from "../../src/domain/calendar.js";
import { computeTrend, ragFor, scoreCsmHealth } from "../../src/domain/health/csm-score.js";
import { FEATURE_CATALOGUE, ONBOARDING_STEPS, PRODUCT_MODULES } from "../../src/domain/product.js";
import { type Account, isOpenTicket, type Ticket } from "../../src/domain/types.js";

const NOW = new Date("2026-03-11T14:23:00.000Z");
const book = generateDemoBook({ now: NOW });

function openTicketsByAccount(b: DemoBook): Map<string, Ticket[]> {
  const map = new Map<string, Ticket[]>();
  for (const t of b.tickets) {
    if (!isOpenTicket(t)) continue;
    const list = map.get(t.account_id) ?? [];
    list.push(t);
    map.set(t.account_id, list);
  }
  return map;
}

const openTickets = openTicketsByAccount(book);
const scoreOf = (a: Account, open = openTickets): number =>
  scoreCsmHealth(a, { now: NOW, openTickets: open.get(a.id)?.length ?? 0 }).score;
const ofScenario = (s: DemoScenario, b: DemoBook = book): Account[] =>
  b.accounts.filter((a) => b.scenarios[a.id] === s);

/** The signals a CSM would call clearly bad; an at-risk account shows at least three. */
function badSignals(a: Account, open: Ticket[]): string[] {
  const bad: string[] = [];
  if (a.usage_trend === "declining" || a.usage_trend === "inactive") bad.push("usage_trend");
  if ((daysSince(a.last_login, NOW) ?? 0) > 30) bad.push("last_login");
  if (a.payment_status !== null && a.payment_status !== "current") bad.push("payment_status");
  if (a.ticket_sentiment === "negative" || a.ticket_sentiment === "critical") bad.push("ticket_sentiment");
  if (a.stakeholder_engagement === "low") bad.push("stakeholder_engagement");
  if (a.nps !== null && a.nps <= 6) bad.push("nps");
  if ((a.escalations_90d ?? 0) >= 1) bad.push("escalations_90d");
  if (a.feature_adoption !== null && a.feature_adoption < 0.35) bad.push("feature_adoption");
  if (a.seats_purchased && a.seats_used !== null && a.seats_used / a.seats_purchased < 0.5) bad.push("seats");
  const renewal = daysUntil(a.renewal_date, NOW);
  if (renewal !== null && renewal <= 120) bad.push("renewal");
  const aged = open.filter(
    (t) => (t.priority === "P1" || t.priority === "P2") && hoursBetween(t.opened, NOW) > 72,
  );
  if (aged.length > 0) bad.push("aged_p1_p2");
  return bad;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("generateDemoBook", () => {
  it("is deterministic for a seed and `now`, whatever the wall clock says", () => {
    vi.useFakeTimers({ now: new Date("2030-01-01T00:00:00Z") });
    const a = generateDemoBook({ now: NOW, seed: 42 });
    vi.setSystemTime(new Date("2019-06-15T12:00:00Z"));
    const b = generateDemoBook({ now: NOW, seed: 42 });
    expect(b).toEqual(a);
    expect(a).toEqual(book);
    expect(generateDemoBook({ now: NOW, seed: 43 }).accounts).not.toEqual(a.accounts);
  });

  it("gives the same book, byte for byte, as the generator it was pinned against", () => {
    // The hash of the serialised book for one size, seed and instant: any change to what the generator
    // draws, or in which order, changes it. Seeded stores, benches and tests all rely on that stability.
    const pinned = generateDemoBook({ accounts: 200, seed: 42, now: NOW });
    const digest = createHash("sha256").update(JSON.stringify(pinned)).digest("hex");
    expect(digest).toBe("9225d32e3ad4d84faa48f02fb69b88eaa3409a53ad91ea37593a3f043ff34385");
  });

  it("has the default scenario mix for 60 accounts", () => {
    expect(book.accounts).toHaveLength(60);
    for (const s of DEMO_SCENARIOS) expect(ofScenario(s), s).toHaveLength(DEMO_SCENARIO_MIX[s]);

    const onboarding = book.accounts.filter((a) => a.status === "Onboarding");
    expect(onboarding).toHaveLength(10);
    const stalled = onboarding.filter((a) => (daysSince(a.onboarding_last_step_at, NOW) ?? 0) > 7);
    expect(stalled).toHaveLength(4);
    expect(stalled.every((a) => book.scenarios[a.id] === "onboarding_stalled")).toBe(true);
    for (const a of onboarding) {
      expect(a.onboarding_steps_done.length).toBeGreaterThan(0);
      expect(a.onboarding_steps_done.length).toBeLessThan(ONBOARDING_STEPS.length);
      // Steps are done in order.
      expect(a.onboarding_steps_done).toEqual(ONBOARDING_STEPS.slice(0, a.onboarding_steps_done.length));
    }

    expect(book.accounts.filter((a) => a.status === "Churned")).toHaveLength(5);
    expect(ofScenario("churned").every((a) => a.status === "Churned")).toBe(true);

    const healthy = ofScenario("healthy");
    expect(healthy).toHaveLength(15);
    for (const a of healthy) {
      expect(scoreOf(a), a.id).toBeGreaterThanOrEqual(75);
      expect(a.escalations_90d ?? 0).toBe(0);
      expect(daysUntil(a.renewal_date, NOW)).toBeGreaterThan(180);
    }

    const atRisk = ofScenario("at_risk");
    expect(atRisk).toHaveLength(10);
    for (const a of atRisk) expect(scoreOf(a), a.id).toBeLessThan(55);

    const windows: Record<string, [number, number]> = {
      renewing_30: [1, 30],
      renewing_60: [31, 60],
      renewing_90: [61, 90],
    };
    for (const [scenario, [lo, hi]] of Object.entries(windows)) {
      for (const a of ofScenario(scenario as DemoScenario)) {
        const days = daysUntil(a.renewal_date, NOW)!;
        expect(days, `${a.id} ${scenario}`).toBeGreaterThanOrEqual(lo);
        expect(days, `${a.id} ${scenario}`).toBeLessThanOrEqual(hi);
      }
    }
    expect(ofScenario("renewing_30")).toHaveLength(3);
    expect(ofScenario("renewing_60")).toHaveLength(3);
    expect(ofScenario("renewing_90")).toHaveLength(4);
    const renewingRags = [
      ...ofScenario("renewing_30"),
      ...ofScenario("renewing_60"),
      ...ofScenario("renewing_90"),
    ]
      .map((a) => ragFor(scoreOf(a)))
      .filter((r) => r === "AMBER");
    expect(renewingRags.length).toBeGreaterThanOrEqual(5);
  });

  it("gives every at-risk account at least three clearly bad signals and varied causes", () => {
    const causes = new Set<string>();
    for (const a of ofScenario("at_risk")) {
      const bad = badSignals(a, openTickets.get(a.id) ?? []);
      expect(bad.length, `${a.id}: ${bad.join(", ")}`).toBeGreaterThanOrEqual(3);
      for (const b of bad) causes.add(b);
    }
    for (const c of ["payment_status", "ticket_sentiment", "aged_p1_p2", "renewal", "last_login"]) {
      expect(causes.has(c), c).toBe(true);
    }
  });

  it("gives expansion accounts seat, module, API and heartbeat signals", () => {
    const moduleOf = new Map<string, string>();
    for (const [m, features] of Object.entries(PRODUCT_MODULES)) for (const f of features) moduleOf.set(f, m);
    for (const a of ofScenario("expansion")) {
      expect(a.seats_used! / a.seats_purchased!).toBeGreaterThanOrEqual(0.9);
      const unowned = a.features_used.filter((f) => {
        const m = moduleOf.get(f);
        return m !== undefined && !a.modules.includes(m);
      });
      expect(unowned.length, a.id).toBeGreaterThan(0);
      expect(a.api_calls_30d).toBeGreaterThanOrEqual(100_000);
      expect(hoursBetween(a.last_heartbeat!, NOW)).toBeLessThan(24);
    }
  });

  it("has unique ids and names, and only references accounts that exist", () => {
    const ids = new Set(book.accounts.map((a) => a.id));
    expect(ids.size).toBe(book.accounts.length);
    expect(new Set(book.accounts.map((a) => a.name)).size).toBe(book.accounts.length);
    expect(book.accounts.every((a) => /^acc_\d{4,}$/.test(a.id))).toBe(true);
    expect(new Set(book.tickets.map((t) => t.id)).size).toBe(book.tickets.length);
    expect(book.tickets.every((t) => /^tkt_\d{6,}$/.test(t.id))).toBe(true);
    expect(Object.keys(book.scenarios).sort()).toEqual([...ids].sort());

    expect(book.tickets.every((t) => ids.has(t.account_id))).toBe(true);
    expect(book.usage.every((u) => ids.has(u.account_id))).toBe(true);
    expect(book.health_history.every((h) => ids.has(h.account_id))).toBe(true);
  });

  it("has 12 weeks of usage per account and up to 12 weeks of history per live account", () => {
    const usageCount = new Map<string, number>();
    for (const u of book.usage) usageCount.set(u.account_id, (usageCount.get(u.account_id) ?? 0) + 1);
    expect(book.accounts.every((a) => usageCount.get(a.id) === 12)).toBe(true);
    expect(book.usage.every((u) => new Date(`${u.week_start}T00:00:00Z`).getUTCDay() === 1)).toBe(true);

    const historyCount = new Map<string, number>();
    for (const h of book.health_history) {
      historyCount.set(h.account_id, (historyCount.get(h.account_id) ?? 0) + 1);
      expect(h.rag).toBe(ragFor(h.score));
      expect(h.run_id).toBeNull();
      expect(h.score >= 0 && h.score <= 100).toBe(true);
      expect(hoursBetween(h.at, NOW)).toBeGreaterThanOrEqual(7 * 24);
    }
    for (const a of book.accounts) {
      const n = historyCount.get(a.id) ?? 0;
      if (a.status === "Churned") expect(n, a.id).toBe(0);
      else if (a.status === "Onboarding") expect(n, a.id).toBeGreaterThanOrEqual(1);
      else expect(n, a.id).toBe(12);
    }
  });

  it("has history consistent with the scenario: some at-risk accounts fell 10+ points recently", () => {
    const historyOf = (id: string) => book.health_history.filter((h) => h.account_id === id);
    const scanAt = new Date(NOW.getTime() + 6 * 3_600_000);
    const directions = ofScenario("at_risk").map(
      (a) => computeTrend(historyOf(a.id), { at: scanAt.toISOString(), score: scoreOf(a) }, scanAt).direction,
    );
    expect(directions.filter((d) => d === "falling_fast").length).toBeGreaterThanOrEqual(3);
    expect(directions.every((d) => d === "falling_fast" || d === "declining")).toBe(true);
    for (const a of ofScenario("at_risk")) {
      const h = historyOf(a.id);
      expect(h[0]!.score).toBeGreaterThan(h.at(-1)!.score);
    }
    for (const a of ofScenario("healthy")) {
      expect(historyOf(a.id).filter((h) => h.rag === "GREEN").length).toBeGreaterThanOrEqual(10);
    }
  });

  it("fills the fields realistically and leaves agent-written ones empty", () => {
    const aes = new Set<string>(DEMO_ACCOUNT_EXECUTIVES);
    const csms = new Set<string>(DEMO_CSMS);
    const big = generateDemoBook({ accounts: 2000, now: NOW, seed: 9 });
    for (const a of [...book.accounts, ...big.accounts]) {
      expect(a.tier).toBe(tierForArr(a.arr));
      expect(csms.has(a.csm_owner!)).toBe(true);
      if (a.account_executive !== null) expect(aes.has(a.account_executive)).toBe(true);
      if (a.slack_channel !== null) expect(a.slack_channel).toMatch(/^#acct-[a-z0-9-]+$/);
      expect(a.features_used.every((f) => FEATURE_CATALOGUE.includes(f))).toBe(true);
      expect(a.signup_date! < a.renewal_date!).toBe(true);
      expect(a.renewal_date!.slice(5)).toBe(a.signup_date!.slice(5)); // the signup anniversary
      if (a.status !== "Churned") expect(daysUntil(a.renewal_date, NOW)).toBeGreaterThanOrEqual(0);
      for (const f of [
        "last_login",
        "last_interaction",
        "last_heartbeat",
        "onboarding_last_step_at",
      ] as const) {
        const v = a[f];
        if (v !== null) {
          expect(hoursBetween(v, NOW), `${a.id} ${f}`).toBeGreaterThanOrEqual(0);
          expect(v >= a.signup_date!, `${a.id} ${f}`).toBe(true);
        }
      }
      expect([a.csm_health_score, a.csm_health_rag, a.churn_risk, a.csm_last_scan]).toEqual([
        null,
        null,
        null,
        null,
      ]);
      expect([a.health_score, a.health_status, a.last_health_scan]).toEqual([null, null, null]);
    }
    const nullAes = big.accounts.filter((a) => a.account_executive === null).length / big.accounts.length;
    expect(nullAes).toBeGreaterThan(0.02);
    expect(nullAes).toBeLessThan(0.09);
    // Some signals are missing, as in real data.
    expect(big.accounts.some((a) => a.nps === null && a.status === "Active")).toBe(true);
    expect(big.accounts.some((a) => a.champion === null)).toBe(true);
    expect(big.accounts.some((a) => a.ticket_sentiment === null)).toBe(true);
    const tiers = new Set(big.accounts.map((a) => a.tier));
    expect(tiers.size).toBe(4);
  });

  it("scales the same mix to any size", () => {
    for (const n of [0, 1, 7, 59, 61, 137, 1000]) {
      const counts = scenarioCounts(n);
      const sum = Object.values(counts).reduce((s, c) => s + c, 0);
      expect(sum).toBe(n);
      for (const s of DEMO_SCENARIOS) {
        expect(Math.abs(counts[s] - (n * DEMO_SCENARIO_MIX[s]) / 60)).toBeLessThan(1);
      }
    }
    const small = generateDemoBook({ accounts: 7, now: NOW, seed: 1 });
    expect(small.accounts).toHaveLength(7);
    expect(generateDemoBook({ accounts: 0, now: NOW }).accounts).toEqual([]);
    expect(() => generateDemoBook({ accounts: -1, now: NOW })).toThrow(RangeError);
    expect(() => generateDemoBook({ now: new Date(Number.NaN) })).toThrow(RangeError);
  });

  it("builds 10,000 accounts fast, with unique names and the same contracts", () => {
    const started = performance.now();
    const big = generateDemoBook({ accounts: 10_000, now: NOW, seed: 7 });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(3000);

    expect(big.accounts).toHaveLength(10_000);
    expect(new Set(big.accounts.map((a) => a.name)).size).toBe(10_000);
    expect(new Set(big.accounts.map((a) => a.id)).size).toBe(10_000);
    expect(new Set(big.tickets.map((t) => t.id)).size).toBe(big.tickets.length);
    expect(big.usage).toHaveLength(120_000);
    const counts = scenarioCounts(10_000);
    for (const s of DEMO_SCENARIOS) expect(ofScenario(s, big)).toHaveLength(counts[s]);

    const open = openTicketsByAccount(big);
    for (const a of ofScenario("healthy", big)) expect(scoreOf(a, open), a.id).toBeGreaterThanOrEqual(75);
    for (const a of ofScenario("at_risk", big)) {
      expect(scoreOf(a, open), a.id).toBeLessThan(55);
      expect(badSignals(a, open.get(a.id) ?? []).length, a.id).toBeGreaterThanOrEqual(3);
    }
  });
});
