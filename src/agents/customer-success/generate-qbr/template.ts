/**
 * The deterministic QBR: what is published when no model is configured or its answer is unusable. It is
 * grounded by construction (every figure is read from the facts, tested against the number validator)
 * and says plainly what the data does not hold instead of filling the gap.
 */
import type { QbrFacts } from "./facts.js";
import type { QbrSection, QbrSections } from "./prompt.js";

const pct = (share: number): string => `${Math.round(share * 100)}%`;
const money = (n: number): string => `$${Math.round(n).toLocaleString("en-US")}`;
const feature = (name: string): string => name.replaceAll("_", " ");
// Opportunity confidence is a 0-1 share; a record written on a 0-100 scale is shown as it stands.
const confidence = (c: number): string => (c <= 1 ? pct(c) : `${c}%`);

const joinList = (items: string[]): string =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

// More users than seats is a ratio above 1: "122%" is no share of the data, so it is said in words.
const seatShare = (u: number): string => (u <= 1 ? pct(u) : "more than purchased");

const signed = (n: number): string => (n > 0 ? `+${n}` : n < 0 ? `-${Math.abs(n)}` : "no change");

function healthSection(f: QbrFacts): QbrSection {
  const h = f.health;
  const name = f.account.name;
  const label = f.period.label;
  const sentences: string[] = [];
  const bullets: string[] = [];
  if (h.points === 0 || h.last_score === null || h.last_rag === null) {
    sentences.push(
      `No health scores were recorded for ${name} in ${label}, so there is no score history to review.`,
    );
    bullets.push(`Health scans in ${label}: none recorded`);
  } else if (h.points === 1 || h.first_score === null || h.first_rag === null || h.change === null) {
    sentences.push(
      `${name} scored ${h.last_score} (${h.last_rag}) in ${label}, its only health score of the period.`,
    );
    bullets.push(`Score: ${h.last_score} (${h.last_rag})`);
  } else {
    const move =
      h.change === 0
        ? `unchanged from the start of the quarter`
        : `${h.change > 0 ? "up" : "down"} ${Math.abs(h.change)} points from ${h.first_score} (${h.first_rag})`;
    const trend = h.rag_trend === "no_data" ? "" : `; the RAG trend is ${h.rag_trend}`;
    sentences.push(
      `${name} ended ${label} at a health score of ${h.last_score} (${h.last_rag}), ${move}${trend}.`,
    );
    sentences.push(
      `Across ${h.points} scans the score ranged from ${h.min_score} to ${h.max_score}, averaging ${h.average_score}.`,
    );
    bullets.push(
      `Score: ${h.first_score} (${h.first_rag}) at the start, ${h.last_score} (${h.last_rag}) at the end`,
    );
    bullets.push(
      `RAG over the period: GREEN ${h.rag_counts.GREEN}, AMBER ${h.rag_counts.AMBER}, RED ${h.rag_counts.RED} scans`,
    );
  }
  if (h.signals_moved.length > 0) {
    sentences.push(
      `The signals that moved the score most were ${joinList(
        h.signals_moved.slice(0, 3).map((m) => `${m.label} (${signed(m.change)} points)`),
      )}.`,
    );
    for (const m of h.signals_moved) bullets.push(`${m.label}: ${m.from_points} to ${m.to_points} points`);
  } else if (h.current_drivers.length > 0) {
    sentences.push(
      `The biggest drags on the score today are ${joinList(h.current_drivers.map((d) => d.label))}.`,
    );
    for (const d of h.current_drivers) bullets.push(`${d.label}: costs ${d.points_lost} points today`);
  }
  return { narrative: sentences.join(" "), bullets: bullets.slice(0, 8) };
}

function roiSection(f: QbrFacts): QbrSection {
  const name = f.account.name;
  const label = f.period.label;
  const bullets: string[] = [];
  const u = f.usage;
  if (u) {
    bullets.push(
      `Weekly active users: ${u.first_week_active_users} in the first week, ${u.last_week_active_users} in the last (peak ${u.peak_active_users}, average ${u.average_active_users})`,
    );
    bullets.push(`Product events over ${u.weeks} weeks: ${u.total_events.toLocaleString("en-US")}`);
  }
  // Today's seats and API calls describe a past quarter only when it ended recently.
  if (f.period.recent && f.account.api_calls_30d !== null) {
    bullets.push(`API calls in the past month: ${f.account.api_calls_30d.toLocaleString("en-US")}`);
  }
  if (
    f.period.recent &&
    f.account.seat_utilization !== null &&
    f.account.seats_used !== null &&
    f.account.seats_purchased !== null
  ) {
    bullets.push(
      `Seats in use: ${f.account.seats_used} of ${f.account.seats_purchased} (${seatShare(f.account.seat_utilization)})`,
    );
  }
  if (f.support.opened_in_period > 0) {
    bullets.push(
      `Support: ${f.support.opened_in_period} ${f.support.opened_in_period === 1 ? "ticket" : "tickets"} opened in ${label}, ${f.support.resolved_of_opened} of them resolved`,
    );
  }
  if (bullets.length === 0) {
    return {
      narrative:
        `No ROI or business-impact metrics were recorded for ${name} in ${label}: there is no usage, seat, API or ` +
        `support data for the period, and time saved or revenue influenced are not tracked. We propose agreeing ` +
        `on the value metrics to track at this review rather than estimating them.`,
      bullets: [
        "No quantified value metrics on record for this period",
        "Next step: agree on the success metrics to track from next quarter",
      ],
    };
  }
  const lead = u
    ? `Usage in ${label} went from ${u.first_week_active_users} weekly active users in the first week to ${u.last_week_active_users} in the last, peaking at ${u.peak_active_users}.`
    : `Product usage for ${label} was not recorded; the metrics below are what the data holds.`;
  return {
    narrative:
      `${lead} Value is reported from the usage, seat and support data on record; time saved and revenue ` +
      `influenced are not tracked, so they are not estimated here.`,
    bullets,
  };
}

function adoptionSection(f: QbrFacts): QbrSection {
  const a = f.adoption;
  const name = f.account.name;
  const sentences: string[] = [];
  const bullets: string[] = [];
  const source =
    a.benchmark_source === "configured"
      ? "the configured benchmark"
      : a.benchmark_source === "tier_median"
        ? `the median of ${a.cohort_accounts} ${f.account.tier.replaceAll("_", " ")} accounts`
        : `the median of ${a.cohort_accounts} accounts in the book`;
  if (a.features_total > 0) {
    sentences.push(`${name} uses ${a.features_used} of ${a.features_total} product features.`);
  }
  if (a.adoption !== null && a.benchmark !== null) {
    const standing = a.standing === "above" ? "above" : a.standing === "below" ? "below" : "in line with";
    sentences.push(
      `Its feature adoption of ${pct(a.adoption)} is ${standing} the benchmark of ${pct(a.benchmark)}, ${source}.`,
    );
    bullets.push(`Adoption: ${pct(a.adoption)} against a benchmark of ${pct(a.benchmark)}`);
  } else if (a.adoption !== null) {
    sentences.push(`Its feature adoption is ${pct(a.adoption)}; there are no peers to benchmark it against.`);
    bullets.push(`Adoption: ${pct(a.adoption)}`);
  } else {
    sentences.push(`Feature adoption for ${name} is not recorded.`);
  }
  if (a.features_in_use.length > 0)
    bullets.push(`Features in use: ${a.features_in_use.map(feature).join(", ")}`);
  if (a.underused.length > 0) {
    sentences.push(
      `The underused features with the most likely impact are ${joinList(a.underused.slice(0, 3).map((u) => feature(u.feature)))}.`,
    );
    for (const u of a.underused) {
      bullets.push(
        `${feature(u.feature)}: used by ${pct(u.peer_share)} of peers; recommend an enablement session and a named owner to roll it out`,
      );
    }
  } else {
    sentences.push("No feature that most peers use is missing from its rollout.");
  }
  return { narrative: sentences.join(" "), bullets: bullets.slice(0, 8) };
}

function expansionSection(f: QbrFacts): QbrSection {
  const acc = f.account;
  const sentences: string[] = [];
  const bullets: string[] = [];
  if (acc.seats_used !== null && acc.seats_purchased !== null && acc.seat_utilization !== null) {
    const room =
      acc.seat_utilization >= 0.9
        ? "close to the limit, so additional seats are worth discussing"
        : acc.seat_utilization < 0.6
          ? "leaving room to activate more users before adding seats"
          : "with room to grow";
    sentences.push(
      `${acc.name} has ${acc.seats_used} of ${acc.seats_purchased} seats in use (${seatShare(acc.seat_utilization)}), ${room}.`,
    );
    bullets.push(`Seats: ${acc.seats_used} used of ${acc.seats_purchased} purchased`);
  }
  const opps = f.expansion.open_opportunities;
  if (opps.length > 0) {
    sentences.push(
      `There ${f.expansion.open_count === 1 ? "is 1 open expansion opportunity" : `are ${f.expansion.open_count} open expansion opportunities`} worth an estimated ${money(f.expansion.open_arr_impact_total)} in ARR.`,
    );
    for (const o of opps.slice(0, 4)) {
      bullets.push(
        `${o.name} (${o.type}): estimated ${money(o.estimated_arr_impact)} ARR, confidence ${confidence(o.confidence)}, ${o.status}`,
      );
    }
  } else {
    sentences.push("No expansion opportunity is open for the account.");
  }
  if (acc.modules.length > 0)
    bullets.push(`Modules and integrations owned: ${acc.modules.map(feature).join(", ")}`);
  if (acc.renewal_date !== null && acc.days_to_renewal !== null) {
    const when =
      acc.days_to_renewal >= 0
        ? `renews on ${acc.renewal_date}, in ${acc.days_to_renewal} days`
        : `passed its renewal date of ${acc.renewal_date}`;
    const arr = acc.arr === null ? "" : ` at ${money(acc.arr)} ARR`;
    sentences.push(
      `The contract ${when}${arr}; confirm the renewal terms and decision process at this review.`,
    );
    bullets.push(`Renewal: ${acc.renewal_date}${arr}`);
  } else {
    sentences.push("No renewal date is on record; confirm the contract terms at this review.");
  }
  bullets.push("Next step: agree on the adoption plan for the underused features and an owner on each side");
  return { narrative: sentences.join(" "), bullets: bullets.slice(0, 8) };
}

export function qbrTemplate(facts: QbrFacts): QbrSections {
  return {
    account_health_summary: healthSection(facts),
    roi_business_impact: roiSection(facts),
    feature_adoption_scorecard: adoptionSection(facts),
    expansion_next_steps: expansionSection(facts),
  };
}
