import { type Kysely, type Selectable, sql } from "kysely";
import type { AlertsTable, Database, OutboxDraftsTable } from "./schema.js";

/**
 * Reads of the drafts and alerts the service wrote for people (outbox_drafts, alerts): newest first,
 * paged by created_at. The local mail and chat adapters write these tables as their outbox; Gmail and
 * Slack mirror what they deliver into the same ones, so the lists are complete whichever adapter runs.
 */
export interface OutboxPage {
  account_id?: string | undefined;
  run_id?: string | undefined;
  /** created_at of the last row of the previous page. */
  before?: string | undefined;
  limit: number;
}

export interface StoredDraft {
  id: string;
  to: string;
  cc: string[];
  subject: string;
  text: string;
  html: string | null;
  kind: string | null;
  account_id: string | null;
  run_id: string | null;
  created_at: string;
}

export interface StoredAlert {
  id: string;
  channel: string | null;
  severity: string;
  title: string;
  text: string;
  fields: unknown[];
  account_id: string | null;
  run_id: string | null;
  delivered: boolean;
  error: string | null;
  created_at: string;
}

type Filter = [column: string, op: "<" | "=", value: string | undefined];

/** The page's filters that are set, with the one of the table's own (a draft's kind, an alert's severity). */
const filtersOf = (page: OutboxPage, extra: Filter): Filter[] =>
  [
    ["created_at", "<", page.before] as Filter,
    ["account_id", "=", page.account_id] as Filter,
    ["run_id", "=", page.run_id] as Filter,
    extra,
  ].filter(([, , value]) => value !== undefined && value !== "");

export class OutboxReads {
  constructor(private readonly db: Kysely<Database>) {}

  /** One page of a table's rows, newest first (ties by id). */
  private newestFirst<Row>(
    table: "outbox_drafts" | "alerts",
    page: OutboxPage,
    extra: Filter,
  ): Promise<Row[]> {
    return this.db
      .selectFrom(table)
      .selectAll()
      .where((eb) => eb.and(filtersOf(page, extra).map(([c, op, v]) => eb(sql.ref(c), op, v))))
      .orderBy("created_at", "desc")
      .orderBy("id")
      .limit(page.limit)
      .$castTo<Row>()
      .execute();
  }

  async drafts(page: OutboxPage & { kind?: string | undefined }): Promise<StoredDraft[]> {
    const rows = await this.newestFirst<Selectable<OutboxDraftsTable>>("outbox_drafts", page, [
      "kind",
      "=",
      page.kind,
    ]);
    return rows.map((r) => ({
      id: r.id,
      to: r.to_addr,
      cc: r.cc ? r.cc.split(", ") : [],
      subject: r.subject,
      text: r.text_body,
      html: r.html_body,
      kind: r.kind,
      account_id: r.account_id,
      run_id: r.run_id,
      created_at: r.created_at,
    }));
  }

  async alerts(page: OutboxPage & { severity?: string | undefined }): Promise<StoredAlert[]> {
    const rows = await this.newestFirst<Selectable<AlertsTable>>("alerts", page, [
      "severity",
      "=",
      page.severity,
    ]);
    return rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      severity: r.severity,
      title: r.title,
      text: r.text,
      fields: r.blocks ? (JSON.parse(r.blocks) as unknown[]) : [],
      account_id: r.account_id,
      run_id: r.run_id,
      delivered: r.delivered === 1,
      error: r.error,
      created_at: r.created_at,
    }));
  }
}
