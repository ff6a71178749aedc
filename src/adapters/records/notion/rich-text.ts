import { chunks } from "../../chunks.js";

/**
 * Notion's request size limits (developers.notion.com/reference/request-limits): a rich text object's
 * text.content holds at most 2,000 characters, and any array (rich text items, block children,
 * multi-select options, relations) at most 100 elements.
 */
export const RICH_TEXT_MAX_CHARS = 2000;
export const ARRAY_MAX_ITEMS = 100;
/** A request may carry at most 1,000 block elements in total (children of children included). */
export const BLOCKS_PER_REQUEST_MAX = 1000;

export interface RichTextRequest {
  type: "text";
  text: { content: string };
}

/**
 * Splits text into pieces of at most `max` UTF-16 units, never between the two halves of a surrogate
 * pair (an emoji cut in half is invalid text).
 */
export function splitText(text: string, max: number = RICH_TEXT_MAX_CHARS): string[] {
  if (text.length <= max) return [text];
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    let end = Math.min(i + max, text.length);
    if (end < text.length) {
      const code = text.charCodeAt(end - 1);
      if (code >= 0xd800 && code <= 0xdbff) end -= 1;
    }
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}

/** Rich text for one value: one item per 2,000 characters; empty text is an empty array. */
export function richText(text: string | null | undefined): RichTextRequest[] {
  if (text === null || text === undefined || text === "") return [];
  return splitText(text).map((content) => ({ type: "text", text: { content } }));
}

/**
 * Rich text arrays for text of any length: each array has at most 100 items, so text beyond 200,000
 * characters becomes several arrays (the caller makes one block of each).
 */
export function richTextChunks(text: string): RichTextRequest[][] {
  const items = richText(text);
  if (items.length === 0) return [[]];
  return [...chunks(items, ARRAY_MAX_ITEMS)];
}

/** The plain text of a rich text array as Notion returns it. */
export function plainText(items: ReadonlyArray<{ plain_text?: string }> | null | undefined): string {
  if (!items) return "";
  return items.map((i) => i.plain_text ?? "").join("");
}
