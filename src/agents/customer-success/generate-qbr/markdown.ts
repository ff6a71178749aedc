/** A page body as Markdown: how the CLI prints a QBR (and anything else written as BodyBlock[]). */
import type { BodyBlock } from "../../../adapters/records/port.js";

// Pipes and line breaks would end a table cell early.
const cell = (s: string): string => s.replaceAll("|", "\\|").replaceAll("\n", " ");

function table(rows: string[][], header: boolean): string[] {
  const width = Math.max(1, ...rows.map((r) => r.length));
  const line = (r: string[]) =>
    `| ${Array.from({ length: width }, (_, i) => cell(r[i] ?? "")).join(" | ")} |`;
  const head = header ? (rows[0] ?? []) : Array.from({ length: width }, () => "");
  const body = header ? rows.slice(1) : rows;
  return [line(head), `|${" --- |".repeat(width)}`, ...body.map(line)];
}

export function toMarkdown(title: string, body: readonly BodyBlock[]): string {
  const out: string[] = [`# ${title}`, ""];
  let inList = false;
  for (const b of body) {
    if (b.type !== "bulleted_list_item" && inList) {
      out.push("");
      inList = false;
    }
    switch (b.type) {
      case "heading_1":
        out.push(`# ${b.text}`, "");
        break;
      case "heading_2":
        out.push(`## ${b.text}`, "");
        break;
      case "heading_3":
        out.push(`### ${b.text}`, "");
        break;
      case "paragraph":
        out.push(b.text, "");
        break;
      case "bulleted_list_item":
        out.push(`- ${b.text}`);
        inList = true;
        break;
      case "callout":
        out.push(`> ${b.emoji ? `${b.emoji} ` : ""}${b.text}`, "");
        break;
      case "divider":
        out.push("---", "");
        break;
      case "table":
        out.push(...table(b.rows, b.has_column_header), "");
        break;
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}
