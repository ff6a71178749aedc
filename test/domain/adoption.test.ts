import { describe, expect, it } from "vitest";
import { type AdoptionPeer, assessAdoption, CohortBuilder, median } from "../../src/domain/adoption.js";

const peer = (id: string, over: Partial<AdoptionPeer> = {}): AdoptionPeer => ({
  id,
  tier: "standard",
  status: "Active",
  feature_adoption: null,
  features_used: [],
  rag: null,
  ...over,
});

function cohort(peers: AdoptionPeer[]) {
  const b = new CohortBuilder();
  for (const p of peers) b.add(p);
  return b.build();
}

describe("feature adoption (domain/adoption.ts)", () => {
  it("takes the median", () => {
    expect(median([])).toBeNull();
    expect(median([0.3, 0.9, 0.5])).toBe(0.5);
    expect(median([0.2, 0.8, 0.4, 0.6])).toBe(0.5);
  });

  it("benchmarks against the median of the same tier, the account itself left out", () => {
    const account = peer("me", { feature_adoption: 0.3, features_used: ["a"] });
    const c = cohort([
      account,
      peer("s1", { feature_adoption: 0.5, features_used: ["a", "b"] }),
      peer("s2", { feature_adoption: 0.6, features_used: ["a", "b", "c"] }),
      peer("s3", { feature_adoption: 0.7, features_used: ["a", "b", "c"] }),
      peer("v1", { tier: "vip", feature_adoption: 0.95, features_used: ["a", "b", "c", "d"] }),
      peer("gone", { status: "Churned", feature_adoption: 0, features_used: [] }),
    ]);
    const a = assessAdoption({ account, cohort: c });
    expect(a).toMatchObject({
      adoption: 0.3,
      benchmark: 0.6,
      benchmark_source: "tier_median",
      cohort: { scope: "tier", tier: "standard", accounts: 3 },
      gap: -0.3,
      standing: "below",
      features_total: 4,
      features_used: 1,
    });
    expect(a.features.find((f) => f.feature === "b")).toEqual({ feature: "b", used: false, peer_share: 1 });
    expect(a.features.find((f) => f.feature === "a")).toEqual({ feature: "a", used: true, peer_share: 1 });
    // b is used by every peer, c by two of three; d by none of the tier.
    expect(a.underused.map((u) => [u.feature, u.peer_share, u.rank])).toEqual([
      ["b", 1, 1],
      ["c", 0.667, 2],
    ]);
  });

  it("falls back to the whole book when the tier has too few peers, and to a configured benchmark when set", () => {
    const account = peer("me", { tier: "vip", feature_adoption: 0.8 });
    const c = cohort([
      account,
      peer("v1", { tier: "vip", feature_adoption: 0.9 }),
      peer("s1", { feature_adoption: 0.2 }),
      peer("s2", { feature_adoption: 0.4 }),
      peer("s3", { feature_adoption: 0.6 }),
    ]);
    expect(assessAdoption({ account, cohort: c })).toMatchObject({
      benchmark: 0.5,
      benchmark_source: "book_median",
      cohort: { scope: "book", accounts: 4 },
      standing: "above",
    });
    expect(assessAdoption({ account, cohort: c, configuredBenchmark: 0.78 })).toMatchObject({
      benchmark: 0.78,
      benchmark_source: "configured",
      standing: "at",
    });
    expect(assessAdoption({ account, cohort: cohort([account]) })).toMatchObject({
      benchmark: null,
      benchmark_source: "none",
      standing: "unknown",
      underused: [],
    });
  });

  it("derives adoption from the features used when Feature Adoption is missing", () => {
    const account = peer("me", { features_used: ["a"] });
    const c = cohort([
      account,
      peer("p1", { features_used: ["a", "b", "c", "d"] }),
      peer("p2", { features_used: ["a", "b"] }),
      peer("p3", { features_used: ["a", "b", "c"] }),
    ]);
    // 4 known features: me 1/4, peers 4/4, 2/4, 3/4 -> median 0.75.
    expect(assessAdoption({ account, cohort: c })).toMatchObject({ adoption: 0.25, benchmark: 0.75 });
  });

  it("ranks underused features by likely impact: peer share raised by how much more healthy peers use them", () => {
    const account = peer("me", { features_used: [] });
    const healthy = (id: string, f: string[]) => peer(id, { rag: "GREEN", features_used: f });
    const unhealthy = (id: string, f: string[]) => peer(id, { rag: "RED", features_used: f });
    const c = cohort([
      account,
      // x: used by all six peers; y: by the three healthy ones and one unhealthy (4/6) -> lift 2/3.
      healthy("h1", ["x", "y"]),
      healthy("h2", ["x", "y"]),
      healthy("h3", ["x", "y"]),
      unhealthy("u1", ["x", "y"]),
      unhealthy("u2", ["x"]),
      unhealthy("u3", ["x"]),
    ]);
    const a = assessAdoption({ account, cohort: c });
    expect(a.underused).toEqual([
      { feature: "y", peer_share: 0.667, health_lift: 0.667, impact: 1.111, rank: 1 },
      { feature: "x", peer_share: 1, health_lift: 0, impact: 1, rank: 2 },
    ]);
  });

  it("ignores the health lift while either health group is too small to compare", () => {
    const account = peer("me");
    const c = cohort([
      account,
      peer("h1", { rag: "GREEN", features_used: ["y"] }),
      peer("u1", { rag: "RED", features_used: ["x"] }),
      peer("n1", { features_used: ["x", "y"] }),
    ]);
    expect(assessAdoption({ account, cohort: c }).underused.map((u) => [u.feature, u.health_lift])).toEqual([
      ["x", 0],
      ["y", 0],
    ]);
  });
});
