import { chunks } from "../chunks.js";
import type { AlertInput } from "./port.js";

/**
 * Block Kit for an alert, inside Slack's limits (docs.slack.dev/reference/block-kit): a header's text at
 * most 150 characters, a section's text at most 3,000, a field at most 2,000 and 10 fields per section,
 * at most 50 blocks per message. `text` is the notification and accessibility fallback.
 */
export const SLACK_LIMITS = {
  headerChars: 150,
  sectionChars: 3000,
  fieldChars: 2000,
  fieldsPerSection: 10,
  blocks: 50,
  /** Slack truncates message text beyond 40,000 characters; the fallback is kept far shorter. */
  fallbackChars: 3000,
} as const;

export type SlackBlock = Record<string, unknown> & { type: string };

const SEVERITY_EMOJI: Record<AlertInput["severity"], string> = {
  info: ":information_source:",
  warning: ":warning:",
  critical: ":rotating_light:",
};

/** mrkdwn treats &, < and > as control characters. */
export const escapeMrkdwn = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Cut to `max` characters (with an ellipsis), never inside a surrogate pair. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${s.slice(0, end)}…`;
}

/** Splits text into chunks of at most `max`, at a line or word break when there is one. */
export function chunkText(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf("\n", max);
    if (cut < max / 2) cut = rest.lastIndexOf(" ", max);
    if (cut < max / 2) cut = max;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, "");
  }
  if (rest.length > 0 || out.length === 0) out.push(rest);
  return out;
}

export function alertBlocks(input: AlertInput): { text: string; blocks: SlackBlock[] } {
  const blocks: SlackBlock[] = [
    {
      type: "header",
      text: { type: "plain_text", text: truncate(input.title, SLACK_LIMITS.headerChars), emoji: true },
    },
  ];
  for (const chunk of chunkText(escapeMrkdwn(input.text), SLACK_LIMITS.sectionChars)) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: chunk } });
  }
  const fields = (input.fields ?? []).map((f) => ({
    type: "mrkdwn",
    text: truncate(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, SLACK_LIMITS.fieldChars),
  }));
  for (const section of chunks(fields, SLACK_LIMITS.fieldsPerSection))
    blocks.push({ type: "section", fields: section });
  const context: SlackBlock = {
    type: "context",
    elements: [
      {
        type: "mrkdwn",
        text: `${SEVERITY_EMOJI[input.severity]} ${input.severity}${input.account_id ? ` · account ${escapeMrkdwn(input.account_id)}` : ""}`,
      },
    ],
  };
  if (blocks.length + 1 > SLACK_LIMITS.blocks) {
    // Keep the header and the first sections; say the rest was cut rather than fail the whole alert.
    blocks.length = SLACK_LIMITS.blocks - 2;
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: "_…the alert was longer than one Slack message; see the run for the rest._",
      },
    });
  }
  blocks.push(context);
  const text = truncate(
    `${SEVERITY_EMOJI[input.severity]} ${input.title}: ${input.text}`,
    SLACK_LIMITS.fallbackChars,
  );
  return { text, blocks };
}
