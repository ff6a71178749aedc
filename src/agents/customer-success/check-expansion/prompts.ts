/**
 * The expansion talk track: the model writes how a rep should open each opportunity, and may drop one it
 * finds unconvincing, with a reason. It sees only the detectors' candidates and cannot add one: an
 * opportunity it proposes under any other id has no evidence and is dropped.
 */
import { z } from "zod";
import type { ExpansionCandidate } from "../../../domain/expansion.js";
import type { Account } from "../../../domain/types.js";

export interface TalkTrackFacts {
  account: {
    id: string;
    name: string;
    tier: string;
    arr: number | null;
    usage_trend: string | null;
    feature_adoption: number | null;
    renewal_date: string | null;
  };
  /** candidate_id is the opportunity type: one candidate per type and account. */
  candidates: Array<{ candidate_id: string } & ExpansionCandidate>;
}

export function talkTrackFacts(account: Account, candidates: ExpansionCandidate[]): TalkTrackFacts {
  return {
    account: {
      id: account.id,
      name: account.name,
      tier: account.tier,
      arr: account.arr,
      usage_trend: account.usage_trend,
      feature_adoption: account.feature_adoption,
      renewal_date: account.renewal_date,
    },
    candidates: candidates.map((c) => ({ candidate_id: c.opportunity_type, ...c })),
  };
}

export const TalkTrackSchema = z.object({
  opportunities: z
    .array(z.object({ candidate_id: z.string().min(1), talk_track: z.string().min(1).max(1500) }))
    .max(10),
  dropped: z.array(z.object({ candidate_id: z.string().min(1), reason: z.string().min(1).max(500) })).max(10),
});
export type TalkTracks = z.infer<typeof TalkTrackSchema>;

export const TALK_TRACK_SYSTEM_PROMPT = [
  "You help a B2B SaaS account executive open an expansion conversation.",
  "You get one account and the expansion candidates our usage detectors found, each with its evidence.",
  "For each candidate worth raising, write a talk track of 2-4 sentences: the observation from the",
  "evidence, a question that checks the need, and the offer. Put a candidate you would not raise in",
  '"dropped" with a short reason. Use only candidate_id values from the input; never propose another',
  "opportunity. Every number you write must appear in the input; do not invent figures.",
  'Answer as JSON: {"opportunities": [{"candidate_id", "talk_track"}], "dropped": [{"candidate_id", "reason"}]}.',
].join("\n");

export const talkTrackUserPrompt = (facts: TalkTrackFacts): string =>
  `Account and candidates (JSON):\n${JSON.stringify(facts, null, 2)}\n\nWrite the talk tracks.`;

const usd = (n: number): string => `$${Math.round(n).toLocaleString("en-US")}`;
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** The deterministic talk track of one candidate: every figure from its evidence. */
export function templateTalkTrack(accountName: string, c: ExpansionCandidate): string {
  const e = c.evidence;
  if (c.opportunity_type === "seats") {
    const util = num(e.utilization);
    return (
      `${accountName} has ${e.seats_used} of ${e.seats_purchased} seats in use` +
      `${util === null ? "" : ` (${Math.round(util * 100)}% utilization)`}. ` +
      "Ask how the team has grown and whether people are waiting for access or sharing logins, then propose " +
      `${e.recommended_additional_seats} more seats (about ${usd(c.estimated_arr_impact)} a year) so everyone who needs the product has it.`
    );
  }
  if (c.opportunity_type === "module") {
    const features = Array.isArray(e.signal_features_used)
      ? e.signal_features_used.join(", ")
      : "its features";
    return (
      `${accountName} already relies on ${features}, which belong to the ${c.title.replace(/^Upgrade to /, "")} module it has not bought. ` +
      "Ask which workflows depend on them, then offer the module " +
      `(about ${usd(c.estimated_arr_impact)} a year) so they keep them with full support and gain the rest of it.`
    );
  }
  const calls = num(e.api_calls_30d);
  const beat = num(e.heartbeat_hours_ago);
  const signals = [
    calls !== null && calls >= (num(e.api_calls_threshold) ?? Number.POSITIVE_INFINITY)
      ? `${calls.toLocaleString("en-US")} API calls in the last 30 days`
      : null,
    beat !== null ? `an integration heartbeat ${beat} h ago` : null,
  ].filter((s): s is string => s !== null);
  return (
    `${accountName} shows ${signals.join(" and ") || "integration traffic"} without a supported integration. ` +
    "Ask which system they connect and who maintains that code, then offer the matching integration " +
    `(from ${usd(c.estimated_arr_impact)} a year) to replace custom work with a maintained connector.`
  );
}

export function talkTrackTemplate(facts: TalkTrackFacts): TalkTracks {
  return {
    opportunities: facts.candidates.map((c) => ({
      candidate_id: c.candidate_id,
      talk_track: templateTalkTrack(facts.account.name, c),
    })),
    dropped: [],
  };
}
