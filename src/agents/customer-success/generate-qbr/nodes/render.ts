/**
 * The render node: the QBR as page blocks, structured like a project plan (clean sections with rich
 * blocks, not a wall of text). A callout carries the RAG trend, each section is a
 * heading, its narrative and its bullets, and tables hold the score history and the feature scorecard.
 * The records adapter maps these portable blocks to Notion's and appends them in batches.
 */

import type { BodyBlock } from "../../../../adapters/records/port.js";
import type { Rag } from "../../../../domain/types.js";
import type { AgentDeps } from "../../../deps.js";
import type { QbrFacts } from "../facts.js";
import { QBR_SECTION_KEYS, QBR_SECTION_TITLES, type QbrSections } from "../prompt.js";
import { type QbrDraftStore, requireDraft } from "../store.js";
import { type GenerateQbrNode, type GenerateQbrResult, QBR_STEPS } from "../task.js";

const RAG_EMOJI: Readonly<Record<Rag, string>> = { GREEN: "🟢", AMBER: "🟠", RED: "🔴" };

const pct = (share: number | null): string => (share === null ? "n/a" : `${Math.round(share * 100)}%`);

function ragCallout(f: QbrFacts): BodyBlock {
  const h = f.health;
  if (h.last_rag === null || h.last_score === null) {
    return { type: "callout", emoji: "⚪", text: `No health scores were recorded in ${f.period.label}.` };
  }
  const rags =
    h.first_rag !== null && h.first_rag !== h.last_rag ? `${h.first_rag} → ${h.last_rag}` : h.last_rag;
  const scores =
    h.first_score !== null && h.points > 1 ? `${h.first_score} → ${h.last_score}` : String(h.last_score);
  const trend = h.rag_trend === "no_data" ? "" : ` (${h.rag_trend})`;
  return {
    type: "callout",
    emoji: RAG_EMOJI[h.last_rag],
    text: `RAG trend over ${f.period.label}: ${rags}${trend}. Health score ${scores}.`,
  };
}

function scoreHistory(f: QbrFacts): BodyBlock[] {
  if (f.health.history.length === 0) {
    return [
      {
        type: "paragraph",
        text: `No health scans were recorded between ${f.period.start} and ${f.period.end}.`,
      },
    ];
  }
  return [
    { type: "heading_3", text: "Score history" },
    {
      type: "table",
      has_column_header: true,
      rows: [["Date", "Score", "RAG"], ...f.health.history.map((p) => [p.date, String(p.score), p.rag])],
    },
  ];
}

function featureTable(f: QbrFacts): BodyBlock[] {
  if (f.adoption.features.length === 0) return [];
  return [
    { type: "heading_3", text: "Features" },
    {
      type: "table",
      has_column_header: true,
      rows: [
        ["Feature", "In use", "Peers using it"],
        ...f.adoption.features.map((x) => [
          x.feature.replaceAll("_", " "),
          x.used ? "yes" : "no",
          pct(x.peer_share),
        ]),
      ],
    },
  ];
}

export interface RenderMeta {
  generated_by: "llm" | "template";
}

export function renderQbr(f: QbrFacts, sections: QbrSections, meta: RenderMeta): BodyBlock[] {
  const author =
    meta.generated_by === "llm"
      ? "written with the language model, every figure checked against the account data"
      : "written from the deterministic template";
  const range = f.period.complete
    ? `${f.period.start} to ${f.period.end}`
    : `${f.period.start} to date (${f.period.end})`;
  const blocks: BodyBlock[] = [
    ragCallout(f),
    {
      type: "paragraph",
      text: `Quarterly Business Review of ${f.account.name} for ${f.period.label} (${range}). Trigger: ${f.trigger.replaceAll("_", " ")}. Prepared on ${f.period.generated_on}, ${author}.`,
    },
    { type: "divider" },
  ];
  QBR_SECTION_KEYS.forEach((key, i) => {
    const section = sections[key];
    blocks.push({ type: "heading_2", text: QBR_SECTION_TITLES[key] });
    blocks.push({ type: "paragraph", text: section.narrative });
    for (const b of section.bullets) blocks.push({ type: "bulleted_list_item", text: b });
    if (key === "account_health_summary") blocks.push(...scoreHistory(f));
    if (key === "feature_adoption_scorecard") blocks.push(...featureTable(f));
    if (i < QBR_SECTION_KEYS.length - 1) blocks.push({ type: "divider" });
  });
  blocks.push({ type: "divider" });
  blocks.push({
    type: "paragraph",
    text: "Draft for the CSM's review: edit it and set the status to Ready before sharing it with the customer.",
  });
  return blocks;
}

export function render(deps: AgentDeps, store: QbrDraftStore): GenerateQbrNode {
  return async (ctx) => {
    const row = await requireDraft(store, ctx.run_id);
    if (row.sections === null || row.generated_by === null)
      throw new Error("the QBR has no composed sections");
    const body = renderQbr(row.facts, row.sections, { generated_by: row.generated_by });
    await store.saveBody(ctx.run_id, body, deps.clock.now());
    ctx.progress({ phase: "render", done: 3, total: QBR_STEPS });
    return { result: { blocks: body.length } satisfies Partial<GenerateQbrResult> };
  };
}
