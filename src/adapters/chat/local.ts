import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Clock } from "../../clock.js";
import type { Database } from "../../store/schema.js";
import { insertOnce } from "../keyed-rows.js";
import type { AlertInput, AlertResult, ChatPort } from "./port.js";

/** The alerts row of an alert: the local table itself, and the Slack adapter's delivery record. */
export function alertRow(
  id: string,
  input: AlertInput,
  row: { channel: string | null; delivered: boolean; createdAt: string },
) {
  return {
    id,
    idempotency_key: input.idempotencyKey,
    channel: row.channel,
    severity: input.severity,
    title: input.title,
    text: input.text,
    blocks: input.fields ? JSON.stringify(input.fields) : null,
    account_id: input.account_id ?? null,
    run_id: input.run_id ?? null,
    delivered: row.delivered ? 1 : 0,
    error: null,
    created_at: row.createdAt,
  };
}

/** Alerts go to a local table, readable at GET /v1/alerts. */
export class LocalAlerts implements ChatPort {
  readonly kind = "local" as const;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async postAlert(input: AlertInput): Promise<AlertResult> {
    const row = alertRow(`alert_${randomUUID()}`, input, {
      channel: input.channel ?? null,
      delivered: true,
      createdAt: this.clock.now().toISOString(),
    });
    const { id, created } = await insertOnce(this.db, "alerts", row);
    return { alert_id: id, provider: "local", ok: true, created };
  }

  async ping() {
    return { ok: true, detail: "local alert table (readable at GET /v1/alerts)" };
  }
}
