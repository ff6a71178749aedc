import { describe, expect, it } from "vitest";
import { DEFAULT_PRODUCT_CATALOGUE, productCatalogue } from "../../src/agents/shared/catalogue.js";
import { ConfigError, testConfig } from "../../src/config.js";
import { generateDemoBook } from "../../src/demo/book.js";
import { parseProductCatalogue } from "../../src/domain/catalogue.js";
import {
  detectExpansion,
  detectIntegration,
  detectModule,
  detectSeats,
  expansionIneligibility,
  expansionRank,
  hasNumericEvidence,
  mayCarryOver,
  openOpportunityOf,
  openOpportunityTypes,
} from "../../src/domain/expansion.js";
import { FEATURE_CATALOGUE, PRODUCT_INTEGRATIONS, PRODUCT_MODULES } from "../../src/domain/product.js";
import { hoursBeforeNow, makeAccount, NOW } from "../agents/expansion/fixtures.js";

const cat = DEFAULT_PRODUCT_CATALOGUE;
const now = new Date(NOW);

describe("seats detector", () => {
  it("proposes seats at 90% utilization and above, with the figures and the contract's seat price", () => {
    const c = detectSeats(makeAccount({ id: "a", seats_purchased: 100, seats_used: 95, arr: 60_000 }), cat)!;
    expect(c.opportunity_type).toBe("seats");
    // 95 / 0.8 = 118.75 -> 119 seats needed, 19 more, rounded up to the block of 5.
    expect(c.evidence).toMatchObject({
      seats_used: 95,
      seats_purchased: 100,
      utilization: 0.95,
      recommended_additional_seats: 20,
      price_per_seat: 600,
      price_source: "current contract",
    });
    expect(c.estimated_arr_impact).toBe(12_000);
    expect(c.confidence).toBe(0.75);
    expect(c.evidence_summary).toContain("95 of 100 seats");
  });

  it("is more confident over the licence, less on a declining account; none below 90%", () => {
    expect(
      detectSeats(makeAccount({ id: "a", seats_used: 110, seats_purchased: 100 }), cat)!.confidence,
    ).toBe(0.9);
    expect(
      detectSeats(
        makeAccount({ id: "a", seats_used: 90, seats_purchased: 100, usage_trend: "declining" }),
        cat,
      )!.confidence,
    ).toBe(0.5);
    expect(detectSeats(makeAccount({ id: "a", seats_used: 89, seats_purchased: 100 }), cat)).toBeNull();
    expect(detectSeats(makeAccount({ id: "a", seats_used: null }), cat)).toBeNull();
    expect(detectSeats(makeAccount({ id: "a", seats_purchased: 0, seats_used: 3 }), cat)).toBeNull();
  });

  it("prices at the catalogue's list price when the account has no ARR", () => {
    const c = detectSeats(makeAccount({ id: "a", seats_used: 100, seats_purchased: 100, arr: null }), cat)!;
    expect(c.evidence.price_source).toBe("catalogue list price");
    expect(c.estimated_arr_impact).toBe(25 * cat.seat_annual_price);
  });
});

describe("module detector", () => {
  it("proposes a module whose signal features are in use without it, priced from the catalogue", () => {
    const a = makeAccount({
      id: "a",
      features_used: ["dashboards", "advanced_reporting", "custom_dashboards", "data_export"],
      feature_adoption: 0.8,
    });
    const c = detectModule(a, cat)!;
    expect(c.product).toBe("analytics_pro");
    expect(c.evidence).toMatchObject({
      signal_features_used_count: 3,
      signal_features_total: 3,
      feature_share: 1,
    });
    expect(c.estimated_arr_impact).toBe(cat.modules.find((m) => m.name === "analytics_pro")!.annual_price);
    expect(c.confidence).toBe(0.85);
  });

  it("ignores owned modules and light use", () => {
    const owned = makeAccount({
      id: "a",
      features_used: ["advanced_reporting", "custom_dashboards"],
      modules: ["analytics_pro"],
    });
    expect(detectModule(owned, cat)).toBeNull();
    const light = makeAccount({ id: "a", features_used: ["advanced_reporting"] });
    expect(detectModule(light, cat)).toBeNull(); // 1 of 3 is below half
    const half = makeAccount({ id: "a", features_used: ["api_access"] });
    expect(detectModule(half, cat)!.product).toBe("developer_platform"); // 1 of 2
  });
});

describe("integration detector", () => {
  it("proposes an integration on heavy API use or a live heartbeat without one bought", () => {
    const both = detectIntegration(
      makeAccount({ id: "a", api_calls_30d: 600_000, last_heartbeat: hoursBeforeNow(3) }),
      cat,
      now,
    )!;
    expect(both.evidence).toMatchObject({
      api_calls_30d: 600_000,
      heartbeat_hours_ago: 3,
      integrations_owned: 0,
    });
    expect(both.confidence).toBe(0.9);
    const cheapest = Math.min(...cat.integrations.map((i) => i.annual_price));
    expect(both.estimated_arr_impact).toBe(cheapest);
    expect(
      detectIntegration(makeAccount({ id: "a", last_heartbeat: hoursBeforeNow(10) }), cat, now)!.confidence,
    ).toBe(0.65);
    expect(detectIntegration(makeAccount({ id: "a", api_calls_30d: 150_000 }), cat, now)!.confidence).toBe(
      0.55,
    );
  });

  it("stays quiet with an integration bought, light API use or an old heartbeat", () => {
    expect(
      detectIntegration(
        makeAccount({ id: "a", api_calls_30d: 600_000, modules: ["slack_integration"] }),
        cat,
        now,
      ),
    ).toBeNull();
    expect(detectIntegration(makeAccount({ id: "a", api_calls_30d: 99_999 }), cat, now)).toBeNull();
    expect(
      detectIntegration(makeAccount({ id: "a", last_heartbeat: hoursBeforeNow(200) }), cat, now),
    ).toBeNull();
  });
});

describe("detectExpansion", () => {
  it("gives at most one candidate per type, each with numeric evidence, and only for Active accounts", () => {
    const a = makeAccount({
      id: "a",
      seats_used: 120,
      seats_purchased: 100,
      features_used: ["api_access", "webhooks", "workflow_automation"],
      api_calls_30d: 300_000,
    });
    const found = detectExpansion(a, cat, now);
    expect(found.map((c) => c.opportunity_type)).toEqual(["seats", "module", "integration"]);
    for (const c of found) expect(hasNumericEvidence(c.evidence)).toBe(true);
    expect(detectExpansion({ ...a, status: "Onboarding" }, cat, now)).toEqual([]);
    expect(expansionIneligibility({ status: "Churned" })).toContain("Churned");
    expect(expansionRank({ estimated_arr_impact: 10_000, confidence: 0.5 })).toBe(5_000);
  });

  it("treats New and Dispatched as open, Accepted and Declined as decided", () => {
    const open = openOpportunityTypes([
      { type: "seats", status: "Dispatched" },
      { type: "module", status: "Declined" },
      { type: "integration", status: "New" },
    ]);
    expect([...open].sort()).toEqual(["integration", "seats"]);
  });

  it("names the open opportunity that blocks a type, and lets an earlier undispatched one carry over", () => {
    const existing = [
      { id: "o1", type: "seats", status: "Declined", created_at: "2026-03-01T07:00:00Z" },
      { id: "o2", type: "seats", status: "New", created_at: "2026-03-04T07:00:00Z" },
      { id: "o3", type: "module", status: "Dispatched", created_at: "2026-03-04T07:00:00Z" },
    ];
    expect(openOpportunityOf(existing, "seats")?.id).toBe("o2");
    expect(openOpportunityOf(existing, "module")?.id).toBe("o3");
    expect(openOpportunityOf(existing, "integration")).toBeUndefined();
    expect(mayCarryOver(existing[1]!, "2026-03-11T07:00:00Z")).toBe(true);
    // Dispatched went to Sales already; a same-day re-run carries nothing.
    expect(mayCarryOver(existing[2]!, "2026-03-11T07:00:00Z")).toBe(false);
    expect(mayCarryOver(existing[1]!, "2026-03-04T18:00:00Z")).toBe(false);
  });

  it("finds opportunities in the demo book's expansion scenario", () => {
    const book = generateDemoBook({ now });
    const expansion = book.accounts.filter((a) => book.scenarios[a.id] === "expansion");
    for (const a of expansion) expect(detectExpansion(a, cat, now).length).toBeGreaterThan(0);
  });
});

describe("product catalogue", () => {
  it("defaults to the demo product: every module, feature and integration of the book, with prices", () => {
    expect(cat.modules.map((m) => m.name)).toEqual(Object.keys(PRODUCT_MODULES));
    for (const m of cat.modules) {
      expect(m.features).toEqual([...(PRODUCT_MODULES[m.name] ?? [])]);
      for (const f of m.features) expect(FEATURE_CATALOGUE).toContain(f);
      expect(m.annual_price).toBeGreaterThan(0);
    }
    expect(cat.integrations.map((i) => i.name)).toEqual([...PRODUCT_INTEGRATIONS]);
  });

  it("is configurable with PRODUCT_CATALOGUE, and a bad one is a startup error naming the field", () => {
    const custom = {
      seat_annual_price: 100,
      seat_block: 10,
      integration_api_calls_30d: 5,
      integration_heartbeat_hours: 24,
      modules: [{ name: "ai_assist", label: "AI Assist", annual_price: 5000, features: ["copilot"] }],
      integrations: [],
    };
    const config = testConfig({ PRODUCT_CATALOGUE: JSON.stringify(custom) });
    expect(productCatalogue(config)).toEqual(custom);
    expect(productCatalogue(testConfig())).toBe(DEFAULT_PRODUCT_CATALOGUE);

    const bad = { ...custom, modules: [{ ...custom.modules[0], annual_price: -1 }] };
    expect(() => testConfig({ PRODUCT_CATALOGUE: JSON.stringify(bad) })).toThrow(ConfigError);
    expect(() => testConfig({ PRODUCT_CATALOGUE: JSON.stringify(bad) })).toThrow(
      /PRODUCT_CATALOGUE: modules\.0\.annual_price/,
    );
    expect(parseProductCatalogue("{not json")).toMatchObject({ ok: false });
    const dup = { ...custom, integrations: [{ name: "ai_assist", label: "x", annual_price: 1 }] };
    expect(parseProductCatalogue(JSON.stringify(dup))).toMatchObject({
      ok: false,
      error: expect.stringContaining("twice"),
    });
  });
});
