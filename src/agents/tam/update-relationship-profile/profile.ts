/**
 * The "Technical Relationship Profile" sub-page under an account: stakeholders,
 * integrations, known issues and a communication log, each a table on the page so a person can read
 * and edit it in Notion and the agent can read it back losslessly. Merging updates keeps every field it
 * does not set, every column a person added, and every block that is not one of the four sections.
 */
import type { BodyBlock } from "../../../adapters/records/port.js";
import { type Account, isOpenTicket, type Ticket } from "../../../domain/types.js";
import type { ProfileUpdates } from "./task.js";

export const PROFILE_TITLE = "Technical Relationship Profile";

export const SECTION_IDS = ["stakeholders", "integrations", "known_issues", "communication_log"] as const;
export type SectionId = (typeof SECTION_IDS)[number];

type Row = Record<string, string>;

interface SectionSpec {
  heading: string;
  columns: readonly string[];
  /** Update field -> table column. */
  fields: Readonly<Record<string, string>>;
  /** Index of the existing row an update refers to, or -1 for a new row. */
  find(rows: readonly Row[], update: Row): number;
}

const same = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && a.trim() !== "" && a.trim().toLowerCase() === b.trim().toLowerCase();

const SECTIONS: Readonly<Record<SectionId, SectionSpec>> = {
  stakeholders: {
    heading: "Stakeholders",
    columns: ["Name", "Role", "Email", "Notes"],
    fields: { name: "Name", role: "Role", email: "Email", notes: "Notes" },
    // The email identifies a person best; a name is the fallback (people rarely share one on an account).
    find(rows, u) {
      const byEmail = rows.findIndex((r) => same(r.Email, u.Email));
      return byEmail >= 0 ? byEmail : rows.findIndex((r) => same(r.Name, u.Name));
    },
  },
  integrations: {
    heading: "Integrations",
    columns: ["Name", "Status", "Notes"],
    fields: { name: "Name", status: "Status", notes: "Notes" },
    find: (rows, u) => rows.findIndex((r) => same(r.Name, u.Name)),
  },
  known_issues: {
    heading: "Known issues",
    columns: ["Title", "Severity", "Status", "Ticket", "Notes"],
    fields: { title: "Title", severity: "Severity", status: "Status", ticket_id: "Ticket", notes: "Notes" },
    find(rows, u) {
      const byTicket = rows.findIndex((r) => same(r.Ticket, u.Ticket));
      return byTicket >= 0 ? byTicket : rows.findIndex((r) => same(r.Title, u.Title));
    },
  },
  communication_log: {
    heading: "Communication log",
    columns: ["Date", "Channel", "Summary", "By"],
    fields: { date: "Date", channel: "Channel", summary: "Summary", by: "By" },
    // A log entry is its date and summary: the same entry sent twice is one entry.
    find: (rows, u) => rows.findIndex((r) => r.Date === u.Date && same(r.Summary, u.Summary)),
  },
};

export interface ProfileSection {
  columns: string[];
  rows: Row[];
}

export interface RelationshipProfile {
  sections: Record<SectionId, ProfileSection>;
  /** Blocks a person added that are not one of the sections: kept, after them. */
  extra: BodyBlock[];
}

const LAST_UPDATED = "Last updated ";

export function emptyProfile(): RelationshipProfile {
  const sections = {} as Record<SectionId, ProfileSection>;
  for (const id of SECTION_IDS) sections[id] = { columns: [...SECTIONS[id].columns], rows: [] };
  return { sections, extra: [] };
}

const sectionOfHeading = (text: string): SectionId | undefined =>
  SECTION_IDS.find((id) => SECTIONS[id].heading.toLowerCase() === text.trim().toLowerCase());

/** Read a profile back from its page body. */
export function parseProfile(body: readonly BodyBlock[]): RelationshipProfile {
  const profile = emptyProfile();
  for (let i = 0; i < body.length; i++) {
    const block = body[i]!;
    const id = block.type === "heading_2" ? sectionOfHeading(block.text) : undefined;
    if (id) {
      const section = profile.sections[id];
      // Notion holds at most 100 rows a table, so a long section reads back as several tables in a row,
      // each repeating the header: they are one section. A table with another header is a person's own.
      let first: string[] | undefined;
      for (let next = body[i + 1]; next?.type === "table"; next = body[i + 1]) {
        const [header, ...rows] = next.rows;
        if (first && JSON.stringify(header) !== JSON.stringify(first)) break;
        i++;
        if (!header) continue;
        first = header;
        for (const col of header) if (col && !section.columns.includes(col)) section.columns.push(col);
        section.rows.push(
          ...rows.map((cells) => Object.fromEntries(header.map((col, j) => [col, cells[j] ?? ""]))),
        );
      }
      continue;
    }
    if (block.type === "paragraph" && block.text.startsWith(LAST_UPDATED)) continue; // re-rendered
    profile.extra.push(block);
  }
  return profile;
}

function toRow(spec: SectionSpec, update: Record<string, string | undefined>): Row {
  const row: Row = {};
  for (const [field, column] of Object.entries(spec.fields)) {
    const v = update[field];
    if (v !== undefined) row[column] = v;
  }
  return row;
}

/** Merge updates into a profile (a new one is returned). Merging the same updates twice changes nothing. */
export function mergeProfile(profile: RelationshipProfile, updates: ProfileUpdates): RelationshipProfile {
  const next: RelationshipProfile = {
    sections: structuredClone(profile.sections),
    extra: profile.extra,
  };
  for (const id of SECTION_IDS) {
    const items = updates[id] as Array<Record<string, string | undefined>> | undefined;
    if (!items) continue;
    const spec = SECTIONS[id];
    const section = next.sections[id];
    for (const item of items) {
      const patch = toRow(spec, item);
      const at = spec.find(section.rows, patch);
      if (at >= 0) section.rows[at] = { ...section.rows[at], ...patch };
      else section.rows.push({ ...Object.fromEntries(section.columns.map((c) => [c, ""])), ...patch });
    }
    if (id === "communication_log") section.rows.sort((a, b) => (a.Date ?? "").localeCompare(b.Date ?? ""));
  }
  return next;
}

export function renderProfile(profile: RelationshipProfile, updatedAt: string): BodyBlock[] {
  const blocks: BodyBlock[] = [];
  for (const id of SECTION_IDS) {
    const section = profile.sections[id];
    blocks.push({ type: "heading_2", text: SECTIONS[id].heading });
    blocks.push({
      type: "table",
      has_column_header: true,
      rows: [section.columns, ...section.rows.map((r) => section.columns.map((c) => r[c] ?? ""))],
    });
  }
  blocks.push({ type: "paragraph", text: `${LAST_UPDATED}${updatedAt} by the TAM agent.` });
  return [...blocks, ...profile.extra];
}

export const profileCounts = (profile: RelationshipProfile): Record<SectionId, number> =>
  Object.fromEntries(SECTION_IDS.map((id) => [id, profile.sections[id].rows.length])) as Record<
    SectionId,
    number
  >;

/** True when two profiles hold the same sections (the timestamp paragraph aside). */
export const sameProfile = (a: RelationshipProfile, b: RelationshipProfile): boolean =>
  JSON.stringify(a.sections) === JSON.stringify(b.sections) &&
  JSON.stringify(a.extra) === JSON.stringify(b.extra);

/** What a first profile knows before anyone writes to it. */
export function initialProfile(
  account: Account,
  tickets: readonly Ticket[],
  integrations: string[],
): RelationshipProfile {
  return mergeProfile(emptyProfile(), {
    integrations: integrations.map((name) => ({
      name,
      status: account.last_heartbeat
        ? `live (last heartbeat ${account.last_heartbeat})`
        : "bought, no heartbeat recorded",
    })),
    known_issues: tickets
      .filter((t) => isOpenTicket(t) && (t.priority === "P1" || t.priority === "P2"))
      .map((t) => ({ title: t.subject, severity: t.priority, status: t.status, ticket_id: t.id })),
  });
}
