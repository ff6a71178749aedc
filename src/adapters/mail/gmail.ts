import { gmail, type gmail_v1, auth as googleAuth } from "@googleapis/gmail";
import type { Kysely } from "kysely";
import MailComposer from "nodemailer/lib/mail-composer";
import type { Clock } from "../../clock.js";
import type { Logger } from "../../logger.js";
import type { Database } from "../../store/schema.js";
import type { SideEffects } from "../../store/side-effects.js";
import { InFlight } from "../in-flight.js";
import type { Reachability } from "../records/port.js";
import { outboxDraftRow } from "./local.js";
import type { DraftInput, DraftResult, MailPort } from "./port.js";

export interface GmailDraftsOptions {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** The mailbox the drafts are made in; their From. */
  sender: string;
  /** API root (default https://gmail.googleapis.com/) and OAuth token endpoint, for proxies and emulators. */
  rootUrl?: string;
  tokenUrl?: string;
  db: Kysely<Database>;
  effects: SideEffects;
  clock: Clock;
  log: Logger;
}

/**
 * Gmail drafts through users.drafts.create, with an OAuth2 refresh token. Drafts only: this class has no
 * other way to reach Gmail's API, and nothing here names a send endpoint (the gmail.compose scope could
 * send, so the guarantee lives in code; a test checks it).
 */
export class GmailDrafts implements MailPort {
  readonly kind = "gmail" as const;
  private readonly api: gmail_v1.Gmail;
  private readonly inFlight = new InFlight<DraftResult>();

  constructor(private readonly o: GmailDraftsOptions) {
    // google-auth-library's OAuth2Client, the copy @googleapis/gmail is typed against.
    const auth = new googleAuth.OAuth2({
      clientId: o.clientId,
      clientSecret: o.clientSecret,
      ...(o.tokenUrl ? { endpoints: { oauth2TokenUrl: o.tokenUrl } } : {}),
    });
    auth.setCredentials({ refresh_token: o.refreshToken });
    this.api = gmail({
      version: "v1",
      auth,
      ...(o.rootUrl ? { rootUrl: o.rootUrl.endsWith("/") ? o.rootUrl : `${o.rootUrl}/` } : {}),
      // A POST is never retried by the client (gaxios retries only idempotent methods), so a draft is
      // never made twice by a retry we did not decide on.
    });
  }

  createDraft(input: DraftInput): Promise<DraftResult> {
    return this.inFlight.run(input.idempotencyKey, () => this.create(input));
  }

  private async create(input: DraftInput): Promise<DraftResult> {
    const { result, fresh } = await this.o.effects.once(
      `mail:gmail:${input.idempotencyKey}`,
      "mail.gmail_draft",
      async () => {
        const raw = await buildMime(input, this.o.sender, this.o.clock.now());
        const res = await this.api.users.drafts.create({
          userId: "me",
          requestBody: { message: { raw: raw.toString("base64url") } },
        });
        const draftId = res.data.id;
        if (!draftId) throw new Error("Gmail answered drafts.create without a draft id");
        await this.record(draftId, input);
        return { draft_id: draftId };
      },
    );
    return { draft_id: result.draft_id, provider: "gmail", created: fresh };
  }

  /** The draft in the outbox table too, so GET /v1/drafts lists what reps have waiting in Gmail. */
  private async record(draftId: string, input: DraftInput): Promise<void> {
    await this.o.db
      .insertInto("outbox_drafts")
      .values(outboxDraftRow(draftId, input, this.o.clock.now().toISOString()))
      .onConflict((oc) => oc.column("idempotency_key").doNothing())
      .execute();
  }

  async ping(): Promise<Reachability> {
    try {
      const res = await this.api.users.getProfile({ userId: "me" });
      return { ok: true, detail: `Gmail drafts in ${res.data.emailAddress ?? this.o.sender}` };
    } catch (err) {
      return { ok: false, detail: `Gmail unreachable: ${(err as Error).message}` };
    }
  }
}

/**
 * The RFC 5322 message of a draft, built by nodemailer's MailComposer: a text part and, when given, an
 * HTML alternative; non-ASCII headers are encoded words (RFC 2047), bodies UTF-8.
 */
export async function buildMime(input: DraftInput, sender: string, date: Date): Promise<Buffer> {
  const composer = new MailComposer({
    from: sender,
    to: input.to,
    ...(input.cc && input.cc.length > 0 ? { cc: input.cc } : {}),
    subject: input.subject,
    text: input.text,
    ...(input.html ? { html: input.html } : {}),
    date,
    textEncoding: "quoted-printable",
  });
  return composer.compile().build();
}
