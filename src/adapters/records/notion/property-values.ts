/**
 * Property values, one codec per property type: what a page carries read into a plain value, and a value
 * written as the request Notion takes. A value of another type than expected is a problem, never guessed.
 */
import { type ActualSchema, type PropSpec, typeMatches } from "./properties.js";
import { ARRAY_MAX_ITEMS, plainText, richText } from "./rich-text.js";

/** A property value as a page carries it (only what we read). */
export interface PropertyValue {
  type: string;
  [key: string]: unknown;
}
export type PageProperties = Record<string, PropertyValue>;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Notion answers "2026-02-27T01:01:00.000+00:00" for what we wrote as "...Z": compare as instants. */
export function normalizeDate(value: string | null | undefined): string | null {
  if (!value) return null;
  if (DATE_ONLY.test(value)) return value;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : value;
}

export type Read = string | number | string[] | null;

export function readValue(name: string, spec: PropSpec, props: PageProperties, problems: string[]): Read {
  const p = props[name];
  if (p === undefined) {
    if (spec.required) problems.push(`property "${name}" is missing`);
    return spec.type === "multi_select" || spec.type === "relation" ? [] : null;
  }
  if (!typeMatches(spec.type, p.type)) {
    problems.push(`property "${name}" is ${p.type}, expected ${spec.type}`);
    return null;
  }
  switch (spec.type) {
    case "title":
    case "rich_text":
      return plainText(p[p.type] as Array<{ plain_text?: string }>) || null;
    case "number":
      return (p.number as number | null) ?? null;
    case "select":
      return ((p[p.type] as { name?: string } | null)?.name as string | undefined) ?? null;
    case "multi_select":
      return ((p.multi_select as Array<{ name: string }> | null) ?? []).map((o) => o.name);
    case "date":
      return normalizeDate((p.date as { start?: string } | null)?.start);
    case "email":
      return (p.email as string | null) ?? null;
    case "relation":
      return ((p.relation as Array<{ id: string }> | null) ?? []).map((r) => r.id);
  }
}

/** A request value for one property; `actualType` lets a select spec write to a Status-type property. */
export function writeValue(spec: PropSpec, value: unknown, actualType?: string): Record<string, unknown> {
  switch (spec.type) {
    case "title":
      return { title: richText(value as string | null).slice(0, ARRAY_MAX_ITEMS) };
    case "rich_text":
      return { rich_text: richText(value as string | null).slice(0, ARRAY_MAX_ITEMS) };
    case "number":
      return { number: (value as number | null) ?? null };
    case "select": {
      const v = value === null || value === undefined ? null : { name: String(value) };
      return actualType === "status" ? { status: v } : { select: v };
    }
    case "multi_select":
      return {
        multi_select: ((value as string[] | null) ?? []).slice(0, ARRAY_MAX_ITEMS).map((name) => ({ name })),
      };
    case "date":
      return { date: value ? { start: String(value) } : null };
    case "email":
      return { email: (value as string | null) ?? null };
    case "relation":
      return { relation: ((value as string[] | null) ?? []).map((id) => ({ id })) };
  }
}

/** Field -> [Notion property, spec], as the property maps of ./properties.ts hold them. */
export type FieldMap<F extends string> = Readonly<Record<F, readonly [string, PropSpec]>>;

/** The properties that write `values`, by field; fields without a property are left out. */
export function writeFields<F extends string>(
  fields: FieldMap<F>,
  values: Partial<Record<F, unknown>>,
  actual?: ActualSchema,
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [field, value] of Object.entries(values) as Array<[F, unknown]>) {
    if (value === undefined) continue;
    const entry = fields[field];
    if (!entry) continue;
    const [name, spec] = entry;
    // An optional property the data source lacks is left out: Notion refuses unknown properties.
    if (actual && !spec.required && actual[name] === undefined) continue;
    out[name] = writeValue(spec, value, actual?.[name]);
  }
  return out;
}

/** A record read from a page, or every problem that kept it from being read. */
export type Mapped<T> = { ok: true; value: T } | { ok: false; problems: string[] };

export const mapped = <T>(problems: string[], value: T): Mapped<T> =>
  problems.length > 0 ? { ok: false, problems } : { ok: true, value };

/** Reads a page's fields by field name, adding what is wrong with each to `problems`. */
export function fieldReader<F extends string>(
  fields: FieldMap<F>,
  props: PageProperties,
  problems: string[],
) {
  return (field: F): Read => readValue(fields[field][0], fields[field][1], props, problems);
}

/** A page as Notion returns it (only what we read). */
export interface PageLike {
  id: string;
  url?: string;
  created_time?: string;
  last_edited_time?: string;
  properties: PageProperties;
}
