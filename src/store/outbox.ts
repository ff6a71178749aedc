import { type Kysely, sql } from "kysely";
import type { Database } from "./schema.js";

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

const filtersOf = (page: OutboxPage, extra: Filter): Filter[] =>
  [
    ["created_at", "<", page.before] as Filter,
    ["account_id", "=", page.account_id] as Filter,
    ["run_id", "=", page.run_id] as Filter,
    extra,
  ].filter(([, , value]) => value !== undefined && value !== "");

export class OutboxReads {
  constructor(private readonly db: Kysely<Database>) {}

  async drafts(page: OutboxPage & { kind?: string | undefined }): Promise<StoredDraft[]> {
    const rows = await this.db
      .selectFrom("outbox_drafts")
      .selectAll()
      .where((eb) =>
        eb.and(filtersOf(page, ["kind", "=", page.kind]).map(([c, op, v]) => eb(sql.ref(c), op, v))),
      )
      .orderBy("created_at", "desc")
      .orderBy("id")
      .limit(page.limit)
      .execute();
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
    const rows = await this.db
      .selectFrom("alerts")
      .selectAll()
      .where((eb) =>
        eb.and(filtersOf(page, ["severity", "=", page.severity]).map(([c, op, v]) => eb(sql.ref(c), op, v))),
      )
      .orderBy("created_at", "desc")
      .orderBy("id")
      .limit(page.limit)
      .execute();
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
