import type { BodyBlock } from "../port.js";
import {
  ARRAY_MAX_ITEMS,
  BLOCKS_PER_REQUEST_MAX,
  plainText,
  type RichTextRequest,
  richText,
  richTextChunks,
} from "./rich-text.js";

/**
 * Page bodies: our portable BodyBlock list <-> Notion block objects, within Notion's limits. Children
 * arrays hold at most 100 blocks and a request at most 1,000 block elements; nesting stays at 2 levels
 * (a table and its rows is the only nesting we make).
 */

export type NotionBlockRequest = Record<string, unknown> & { type: string };

type TextType = "heading_1" | "heading_2" | "heading_3" | "paragraph" | "bulleted_list_item" | "callout";

function textBlock(type: TextType, rich: RichTextRequest[], emoji?: string): NotionBlockRequest {
  if (type === "callout") {
    return {
      object: "block",
      type,
      callout: { rich_text: rich, ...(emoji ? { icon: { type: "emoji", emoji } } : {}) },
    };
  }
  return { object: "block", type, [type]: { rich_text: rich } };
}

function tableBlocks(rows: string[][], hasHeader: boolean): NotionBlockRequest[] {
  const width = Math.max(1, ...rows.map((r) => r.length));
  const row = (cells: string[]) => ({
    object: "block",
    type: "table_row",
    // Every row of a table has exactly table_width cells; a cell is a rich text array.
    table_row: { cells: Array.from({ length: width }, (_, i) => richText(cells[i] ?? "")) },
  });
  const header = hasHeader ? rows[0] : undefined;
  const body = hasHeader ? rows.slice(1) : rows;
  // A table's rows are its children, so at most 100 per table: longer tables become several, each
  // repeating the header row.
  const perTable = ARRAY_MAX_ITEMS - (header ? 1 : 0);
  const out: NotionBlockRequest[] = [];
  for (let i = 0; i === 0 || i < body.length; i += perTable) {
    const slice = body.slice(i, i + perTable);
    const children = [...(header ? [row(header)] : []), ...slice.map(row)];
    if (children.length === 0) children.push(row([]));
    out.push({
      object: "block",
      type: "table",
      table: { table_width: width, has_column_header: hasHeader, has_row_header: false, children },
    });
  }
  return out;
}

/** Notion blocks for a body; text longer than one block holds becomes several blocks of its type. */
export function toNotionBlocks(body: readonly BodyBlock[]): NotionBlockRequest[] {
  const out: NotionBlockRequest[] = [];
  for (const b of body) {
    switch (b.type) {
      case "divider":
        out.push({ object: "block", type: "divider", divider: {} });
        break;
      case "table":
        out.push(...tableBlocks(b.rows, b.has_column_header));
        break;
      case "callout":
        for (const rich of richTextChunks(b.text)) out.push(textBlock("callout", rich, b.emoji));
        break;
      default:
        for (const rich of richTextChunks(b.text)) out.push(textBlock(b.type, rich));
    }
  }
  return out;
}

/** Block elements a block counts for in one request: itself and its children. */
function weight(block: NotionBlockRequest): number {
  const inner = block[block.type] as { children?: unknown[] } | undefined;
  return 1 + (inner?.children?.length ?? 0);
}

/** Splits blocks into requests of at most 100 children and 1,000 block elements each. */
export function batchBlocks(blocks: readonly NotionBlockRequest[]): NotionBlockRequest[][] {
  const batches: NotionBlockRequest[][] = [];
  let current: NotionBlockRequest[] = [];
  let elements = 0;
  for (const block of blocks) {
    const w = weight(block);
    if (current.length > 0 && (current.length >= ARRAY_MAX_ITEMS || elements + w > BLOCKS_PER_REQUEST_MAX)) {
      batches.push(current);
      current = [];
      elements = 0;
    }
    current.push(block);
    elements += w;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** A block as Notion returns it (only what we read). */
export interface NotionBlockResponse {
  id: string;
  type: string;
  has_children?: boolean;
  [key: string]: unknown;
}

interface TextContent {
  rich_text?: Array<{ plain_text?: string }>;
  icon?: { type?: string; emoji?: string } | null;
}

/**
 * Our body from Notion blocks. `rowsOf` lists a table's rows (they are the table's children). Blocks
 * we do not write (images, toggles, ...) are left out: the body is what the agents wrote.
 */
export async function fromNotionBlocks(
  blocks: readonly NotionBlockResponse[],
  rowsOf: (tableId: string) => Promise<NotionBlockResponse[]>,
): Promise<BodyBlock[]> {
  const out: BodyBlock[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    const content = block[block.type] as TextContent | undefined;
    switch (block.type) {
      case "heading_1":
      case "heading_2":
      case "heading_3":
      case "paragraph":
      case "bulleted_list_item": {
        const text = plainText(content?.rich_text);
        const prev = out[out.length - 1];
        // A long text we split over several blocks (more than 100 rich text items) reads back whole.
        if (prev && prev.type === block.type && "text" in prev && (content?.rich_text?.length ?? 0) > 0) {
          const prevBlock = blocks[i - 1];
          const prevItems = (prevBlock?.[block.type] as TextContent | undefined)?.rich_text?.length ?? 0;
          if (prevItems >= ARRAY_MAX_ITEMS) {
            prev.text += text;
            break;
          }
        }
        out.push({ type: block.type, text });
        break;
      }
      case "callout": {
        const emoji = content?.icon?.type === "emoji" ? content.icon.emoji : undefined;
        out.push({ type: "callout", text: plainText(content?.rich_text), ...(emoji ? { emoji } : {}) });
        break;
      }
      case "divider":
        out.push({ type: "divider" });
        break;
      case "table": {
        const table = block.table as { has_column_header?: boolean } | undefined;
        const rows = (await rowsOf(block.id)).map((r) =>
          ((r.table_row as { cells?: Array<Array<{ plain_text?: string }>> } | undefined)?.cells ?? []).map(
            (cell) => plainText(cell),
          ),
        );
        out.push({ type: "table", rows, has_column_header: table?.has_column_header ?? false });
        break;
      }
      default:
        break;
    }
  }
  return out;
}
