/**
 * The CSM's summary draft of an expansion scan: the opportunities recorded for the owner's accounts,
 * which went to Sales and which wait (over the per-scan hand-off limit), with evidence and talk track.
 */
import type { ExpansionCandidate } from "../../../domain/expansion.js";

export interface SummaryItem {
  account_name: string;
  opportunity_id: string;
  candidate: ExpansionCandidate;
  talk_track: string;
  handed_off: boolean;
}

const usd = (n: number): string => `$${Math.round(n).toLocaleString("en-US")}`;

export function summarySubject(items: readonly SummaryItem[], date: string): string {
  const accounts = new Set(items.map((i) => i.account_name));
  const total = items.reduce((s, i) => s + i.candidate.estimated_arr_impact, 0);
  const scope = accounts.size === 1 ? [...accounts][0] : `${accounts.size} accounts`;
  return `Expansion opportunities ${date}: ${items.length} for ${scope} (${usd(total)} ARR)`;
}

export function summaryText(items: readonly SummaryItem[], maxHandoffs: number): string {
  const lines = ["The weekly expansion check found these opportunities in your accounts:", ""];
  items.forEach((item, n) => {
    const c = item.candidate;
    lines.push(
      `${n + 1}. ${item.account_name}: ${c.title} (${c.opportunity_type}${c.product ? `, ${c.product}` : ""})`,
      `   Estimated ARR impact: ${usd(c.estimated_arr_impact)}; confidence ${c.confidence}`,
      `   Evidence: ${c.evidence_summary}`,
      `   Talk track: ${item.talk_track}`,
      `   ${
        item.handed_off
          ? "Handed to Sales: the account executive gets a draft."
          : `Recorded (Status New), not handed to Sales this scan: at most ${maxHandoffs} hand-offs a scan; it competes again in the next scan.`
      }`,
      `   Record: ${item.opportunity_id}`,
      "",
    );
  });
  lines.push("This is a draft for your review; nothing has been sent.");
  return lines.join("\n");
}
