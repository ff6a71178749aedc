/**
 * The working row of one generate_qbr run (table qbr_drafts): each node reads what the previous one
 * stored, so graph state holds only the run id and a resumed run never gathers or composes twice.
 */
import type { Kysely } from "kysely";
import type { BodyBlock } from "../../../adapters/records/port.js";
import { addDays } from "../../../domain/calendar.js";
import { parseJson } from "../../../store/db.js";
import type { Database } from "../../../store/schema.js";
import type { QbrFacts } from "./facts.js";
import type { QbrSections } from "./prompt.js";

/** Working rows are kept this long: the CLI and operators read a run's QBR after it finished. */
export const QBR_DRAFT_RETENTION_DAYS = 30;

export interface QbrDraftRow {
  run_id: string;
  account_id: string;
  period: string;
  trigger: string;
  facts: QbrFacts;
  sections: QbrSections | null;
  generated_by: "llm" | "template" | null;
  fallback_reason: string | null;
  body: BodyBlock[] | null;
  qbr_id: string | null;
  qbr_url: string | null;
  created_at: string;
  updated_at: string;
}

export class QbrDraftStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores the gathered facts; a re-run gather node replaces its own row. */
  async saveFacts(runId: string, facts: QbrFacts, trigger: string, now: Date): Promise<void> {
    const at = now.toISOString();
    const values = {
      run_id: runId,
      account_id: facts.account.id,
      period: facts.period.label,
      trigger,
      facts: JSON.stringify(facts),
      sections: null,
      generated_by: null,
      fallback_reason: null,
      body: null,
      qbr_id: null,
      qbr_url: null,
      created_at: at,
      updated_at: at,
    };
    await this.db
      .insertInto("qbr_drafts")
      .values(values)
      .onConflict((oc) => oc.column("run_id").doUpdateSet({ facts: values.facts, updated_at: at }))
      .execute();
  }

  async saveSections(
    runId: string,
    sections: QbrSections,
    generatedBy: "llm" | "template",
    fallbackReason: string | null,
    now: Date,
  ): Promise<void> {
    await this.db
      .updateTable("qbr_drafts")
      .set({
        sections: JSON.stringify(sections),
        generated_by: generatedBy,
        fallback_reason: fallbackReason,
        updated_at: now.toISOString(),
      })
      .where("run_id", "=", runId)
      .execute();
  }

  async saveBody(runId: string, body: BodyBlock[], now: Date): Promise<void> {
    await this.db
      .updateTable("qbr_drafts")
      .set({ body: JSON.stringify(body), updated_at: now.toISOString() })
      .where("run_id", "=", runId)
      .execute();
  }

  async savePage(runId: string, qbrId: string, url: string | null, now: Date): Promise<void> {
    await this.db
      .updateTable("qbr_drafts")
      .set({ qbr_id: qbrId, qbr_url: url, updated_at: now.toISOString() })
      .where("run_id", "=", runId)
      .execute();
  }

  async get(runId: string): Promise<QbrDraftRow | null> {
    const row = await this.db
      .selectFrom("qbr_drafts")
      .selectAll()
      .where("run_id", "=", runId)
      .executeTakeFirst();
    if (!row) return null;
    return {
      ...row,
      facts: JSON.parse(row.facts) as QbrFacts,
      sections: parseJson<QbrSections | null>(row.sections, null),
      generated_by: row.generated_by as QbrDraftRow["generated_by"],
      body: parseJson<BodyBlock[] | null>(row.body, null),
    };
  }

  /** Rows of runs older than the retention: called by gather so the table never grows without bound. */
  async prune(now: Date): Promise<number> {
    const res = await this.db
      .deleteFrom("qbr_drafts")
      .where("created_at", "<", addDays(now, -QBR_DRAFT_RETENTION_DAYS).toISOString())
      .executeTakeFirst();
    return Number(res.numDeletedRows ?? 0);
  }
}

/** The store row a run's node needs; a missing row means an earlier node did not finish. */
export async function requireDraft(store: QbrDraftStore, runId: string): Promise<QbrDraftRow> {
  const row = await store.get(runId);
  if (!row) throw new Error(`no gathered QBR data for run ${runId}`);
  return row;
}
