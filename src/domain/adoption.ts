/**
 * Feature adoption against a peer benchmark. Pure: the caller streams the book's
 * accounts into a CohortBuilder, then asks how one account compares with its peers.
 *
 * - Overall adoption is the account's Feature Adoption (0-1); when that is missing, the share of the
 *   book's known features it uses. The benchmark is the median of the same tier (the account itself left
 *   out), else of the whole book when the tier has too few peers, unless a benchmark is configured.
 * - Per feature, the benchmark is the share of tier peers that use it. A feature the account does not
 *   use although at least half of its peers do (the median peer uses it) is underused.
 * - Underused features are ranked by likely impact: how widely peers use it, raised by how much more
 *   often healthy (GREEN) peers use it than the others, since that is the adoption that goes with
 *   retention.
 */
import type { AccountStatus, Rag, Tier } from "./types.js";

/** Statuses left out of every benchmark: customers who left say nothing about healthy adoption. */
export const BENCHMARK_EXCLUDED_STATUSES: readonly AccountStatus[] = ["Churned", "Inactive"];

export const ADOPTION_RULES = Object.freeze({
  /** A tier needs this many peers (the account excluded) before its median is used. */
  minCohort: 3,
  /** Each health group needs this many peers before their difference counts toward impact. */
  minHealthGroup: 3,
  /** A feature is underused when the account lacks it and at least this share of peers uses it. */
  underusedMinPeerShare: 0.5,
  /** Within this distance of the benchmark an account is "at" it rather than above or below. */
  atBenchmarkBand: 0.05,
});

export interface AdoptionPeer {
  id: string;
  tier: Tier;
  status: AccountStatus;
  /** Feature Adoption 0..1, or null (then derived from the features used). */
  feature_adoption: number | null;
  features_used: readonly string[];
  /** The latest RAG known for the account, or null when it was never scored. */
  rag: Rag | null;
}

interface GroupCounts {
  accounts: number;
  features: Map<string, number>;
}

interface TierCounts {
  /** Adoption of every member, as given or derived, kept for the median. */
  members: Array<{ id: string; adoption: number | null; featureCount: number }>;
  all: GroupCounts;
  healthy: GroupCounts;
  unhealthy: GroupCounts;
}

/** What the book looks like, adoption-wise; built once per book and shared by every assessment. */
export interface CohortSnapshot {
  /** Every feature some account of the benchmark uses, sorted. */
  features: string[];
  tiers: Map<Tier, TierStats>;
  book: TierStats;
}

export interface TierStats {
  /** Adoption of each member by account id (derived from the features when not given). */
  adoption: Map<string, number>;
  /** The same values, sorted ascending. */
  sorted: number[];
  all: GroupCounts;
  healthy: GroupCounts;
  unhealthy: GroupCounts;
  /** Which group each member was counted in, so an assessment can take the account itself out. */
  members: Map<string, { features: readonly string[]; rag: Rag | null }>;
}

const emptyGroup = (): GroupCounts => ({ accounts: 0, features: new Map() });
const emptyTier = (): TierCounts => ({
  members: [],
  all: emptyGroup(),
  healthy: emptyGroup(),
  unhealthy: emptyGroup(),
});

function addTo(group: GroupCounts, features: readonly string[]): void {
  group.accounts += 1;
  for (const f of features) group.features.set(f, (group.features.get(f) ?? 0) + 1);
}

const clamp01 = (n: number): number => Math.min(1, Math.max(0, n));
const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** The median of sorted values; null for none. */
export function medianOfSorted(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function median(values: readonly number[]): number | null {
  return medianOfSorted([...values].sort((a, b) => a - b));
}

/** Accumulates the book page by page; memory grows with accounts, not with their records. */
export class CohortBuilder {
  private readonly tiers = new Map<Tier, TierCounts>();
  private readonly book = emptyTier();
  private readonly memberInfo = new Map<string, { features: readonly string[]; rag: Rag | null }>();
  private readonly catalogue = new Set<string>();

  add(peer: AdoptionPeer): void {
    if (BENCHMARK_EXCLUDED_STATUSES.includes(peer.status)) return;
    const features = [...new Set(peer.features_used)];
    for (const f of features) this.catalogue.add(f);
    const adoption =
      peer.feature_adoption !== null && Number.isFinite(peer.feature_adoption)
        ? clamp01(peer.feature_adoption)
        : null;
    let tier = this.tiers.get(peer.tier);
    if (!tier) {
      tier = emptyTier();
      this.tiers.set(peer.tier, tier);
    }
    this.memberInfo.set(peer.id, { features, rag: peer.rag });
    for (const t of [tier, this.book]) {
      t.members.push({ id: peer.id, adoption, featureCount: features.length });
      addTo(t.all, features);
      if (peer.rag === "GREEN") addTo(t.healthy, features);
      else if (peer.rag !== null) addTo(t.unhealthy, features);
    }
  }

  build(): CohortSnapshot {
    const total = this.catalogue.size;
    const finish = (t: TierCounts): TierStats => {
      const adoption = new Map<string, number>();
      for (const m of t.members) {
        const value = m.adoption ?? (total > 0 ? m.featureCount / total : null);
        if (value !== null) adoption.set(m.id, value);
      }
      const members = new Map(t.members.map((m) => [m.id, this.memberInfo.get(m.id)!]));
      return {
        adoption,
        sorted: [...adoption.values()].sort((a, b) => a - b),
        all: t.all,
        healthy: t.healthy,
        unhealthy: t.unhealthy,
        members,
      };
    };
    return {
      features: [...this.catalogue].sort(),
      tiers: new Map([...this.tiers].map(([tier, counts]) => [tier, finish(counts)])),
      book: finish(this.book),
    };
  }
}

export type BenchmarkSource = "configured" | "tier_median" | "book_median" | "none";

export interface FeatureStanding {
  feature: string;
  used: boolean;
  /** Share of peers that use it (0..1), or null when there are no peers. */
  peer_share: number | null;
}

export interface UnderusedFeature {
  feature: string;
  peer_share: number;
  /** How much more often healthy peers use it than the others (0..1); 0 when unknown. */
  health_lift: number;
  /** Likely impact of adopting it (0..2): peer share raised by the health lift. */
  impact: number;
  rank: number;
}

export interface AdoptionAssessment {
  adoption: number | null;
  benchmark: number | null;
  benchmark_source: BenchmarkSource;
  /** The peers the benchmark and the feature shares come from. */
  cohort: { scope: "tier" | "book"; tier: Tier; accounts: number };
  gap: number | null;
  standing: "above" | "at" | "below" | "unknown";
  features_total: number;
  features_used: number;
  features: FeatureStanding[];
  underused: UnderusedFeature[];
}

export interface AssessInput {
  account: AdoptionPeer;
  cohort: CohortSnapshot;
  /** A configured benchmark (0..1) replaces the median. */
  configuredBenchmark?: number | null;
}

/** The stats of a group with one member taken out (the account is not its own peer). */
function without(group: GroupCounts, features: readonly string[] | null): GroupCounts {
  if (!features) return group;
  const out = new Map(group.features);
  for (const f of features) out.set(f, Math.max(0, (out.get(f) ?? 0) - 1));
  return { accounts: Math.max(0, group.accounts - 1), features: out };
}

function removeOne(sorted: readonly number[], value: number | undefined): number[] {
  if (value === undefined) return [...sorted];
  const i = sorted.indexOf(value);
  return i < 0 ? [...sorted] : [...sorted.slice(0, i), ...sorted.slice(i + 1)];
}

interface Peers {
  scope: "tier" | "book";
  sorted: number[];
  all: GroupCounts;
  healthy: GroupCounts;
  unhealthy: GroupCounts;
}

function peersOf(stats: TierStats, accountId: string, scope: "tier" | "book"): Peers {
  const self = stats.members.get(accountId);
  const features = self ? self.features : null;
  return {
    scope,
    sorted: removeOne(stats.sorted, stats.adoption.get(accountId)),
    all: without(stats.all, features),
    healthy: self?.rag === "GREEN" ? without(stats.healthy, features) : stats.healthy,
    unhealthy:
      self && self.rag !== null && self.rag !== "GREEN"
        ? without(stats.unhealthy, features)
        : stats.unhealthy,
  };
}

const share = (group: GroupCounts, feature: string): number =>
  group.accounts === 0 ? 0 : (group.features.get(feature) ?? 0) / group.accounts;

export function assessAdoption(input: AssessInput): AdoptionAssessment {
  const { account, cohort } = input;
  const catalogue = cohort.features;
  const used = new Set(account.features_used);
  const adoption =
    account.feature_adoption !== null && Number.isFinite(account.feature_adoption)
      ? clamp01(account.feature_adoption)
      : catalogue.length > 0
        ? catalogue.filter((f) => used.has(f)).length / catalogue.length
        : null;

  const tierStats = cohort.tiers.get(account.tier);
  const tierPeers = tierStats ? peersOf(tierStats, account.id, "tier") : null;
  const peers =
    tierPeers && tierPeers.all.accounts >= ADOPTION_RULES.minCohort
      ? tierPeers
      : peersOf(cohort.book, account.id, "book");

  let benchmark: number | null;
  let source: BenchmarkSource;
  const configured = input.configuredBenchmark;
  if (configured !== undefined && configured !== null) {
    benchmark = clamp01(configured);
    source = "configured";
  } else {
    benchmark = medianOfSorted(peers.sorted);
    source = benchmark === null ? "none" : peers.scope === "tier" ? "tier_median" : "book_median";
  }

  const gap = adoption !== null && benchmark !== null ? round3(adoption - benchmark) : null;
  const standing =
    gap === null
      ? "unknown"
      : Math.abs(gap) <= ADOPTION_RULES.atBenchmarkBand
        ? "at"
        : gap > 0
          ? "above"
          : "below";

  const hasPeers = peers.all.accounts > 0;
  const features: FeatureStanding[] = catalogue
    .map((feature) => ({
      feature,
      used: used.has(feature),
      peer_share: hasPeers ? round3(share(peers.all, feature)) : null,
    }))
    .sort((a, b) => (b.peer_share ?? 0) - (a.peer_share ?? 0) || a.feature.localeCompare(b.feature));

  const healthKnown =
    peers.healthy.accounts >= ADOPTION_RULES.minHealthGroup &&
    peers.unhealthy.accounts >= ADOPTION_RULES.minHealthGroup;
  const underused = features
    .filter((f) => !f.used && f.peer_share !== null && f.peer_share >= ADOPTION_RULES.underusedMinPeerShare)
    .map((f) => {
      // From the unrounded shares: rounding before multiplying would reorder near ties.
      const lift = healthKnown
        ? clamp01(share(peers.healthy, f.feature) - share(peers.unhealthy, f.feature))
        : 0;
      const impact = share(peers.all, f.feature) * (1 + lift);
      return {
        feature: f.feature,
        peer_share: f.peer_share!,
        health_lift: round3(lift),
        impact: round3(impact),
      };
    })
    .sort((a, b) => b.impact - a.impact || b.peer_share - a.peer_share || a.feature.localeCompare(b.feature))
    .map((f, i) => ({ ...f, rank: i + 1 }));

  return {
    adoption: adoption === null ? null : round3(adoption),
    benchmark: benchmark === null ? null : round3(benchmark),
    benchmark_source: source,
    cohort: { scope: peers.scope, tier: account.tier, accounts: peers.all.accounts },
    gap,
    standing,
    features_total: catalogue.length,
    features_used: catalogue.filter((f) => used.has(f)).length,
    features,
    underused,
  };
}
