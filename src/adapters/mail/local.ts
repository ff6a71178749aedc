import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Clock } from "../../clock.js";
import type { Database } from "../../store/schema.js";
import { insertOnce } from "../keyed-rows.js";
import type { DraftInput, DraftResult, MailPort } from "./port.js";

/** The outbox_drafts row of a draft: the local outbox itself, and the Gmail adapter's mirror of it. */
export function outboxDraftRow(id: string, input: DraftInput, createdAt: string) {
  return {
    id,
    idempotency_key: input.idempotencyKey,
    to_addr: input.to,
    cc: input.cc && input.cc.length > 0 ? input.cc.join(", ") : null,
    subject: input.subject,
    text_body: input.text,
    html_body: input.html ?? null,
    account_id: input.account_id ?? null,
    run_id: input.run_id ?? null,
    kind: input.kind,
    created_at: createdAt,
  };
}

/** Drafts go to a local outbox table, readable at GET /v1/drafts. Nothing is ever sent. */
export class LocalOutbox implements MailPort {
  readonly kind = "local" as const;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async createDraft(input: DraftInput): Promise<DraftResult> {
    const row = outboxDraftRow(`draft_${randomUUID()}`, input, this.clock.now().toISOString());
    const { id, created } = await insertOnce(this.db, "outbox_drafts", row);
    return { draft_id: id, provider: "local", created };
  }

  async ping() {
    return { ok: true, detail: "local outbox (drafts readable at GET /v1/drafts)" };
  }
}
