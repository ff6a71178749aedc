import type { ExpansionInput, ExpansionRecord, QbrInput, QbrRecord } from "./port.js";

/** The record of a QBR as written: a draft until a person marks it Ready, whichever store holds it. */
export function qbrRecord(
  input: QbrInput,
  page: { id: string; url: string | null; created_at: string; updated_at: string },
): QbrRecord {
  return {
    id: page.id,
    account_id: input.account_id,
    name: input.name,
    quarter: input.quarter,
    health_score: input.health_score,
    status: "Draft",
    trigger: input.trigger,
    url: page.url,
    created_at: page.created_at,
    updated_at: page.updated_at,
  };
}

/** A new expansion opportunity: status New until Sales picks it up. */
export function newExpansionRecord(input: ExpansionInput, id: string, now: string): ExpansionRecord {
  return { ...input, id, status: "New", created_at: now, updated_at: now };
}
