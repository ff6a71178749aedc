import fs from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GmailDrafts } from "../../../src/adapters/mail/gmail.js";
import type { DraftInput } from "../../../src/adapters/mail/port.js";
import { systemClock } from "../../../src/clock.js";
import { createLogger } from "../../../src/logger.js";
import { openStore, type StoreHandle } from "../../../src/store/db.js";
import { SideEffects } from "../../../src/store/side-effects.js";
import { GmailEmulator } from "../../emulators/gmail.js";

describe("Gmail drafts over the emulator", () => {
  let emu: GmailEmulator;
  let store: StoreHandle;
  let mail: GmailDrafts;
  beforeEach(async () => {
    emu = await GmailEmulator.start();
    store = await openStore(":memory:");
    mail = new GmailDrafts({
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
      refreshToken: emu.refreshToken,
      sender: "CSM Bot <csm-bot@example.com>",
      rootUrl: emu.url,
      tokenUrl: emu.tokenUrl,
      db: store.db,
      effects: new SideEffects(store.db, systemClock),
      clock: systemClock,
      log: createLogger("silent"),
    });
  });
  afterEach(async () => {
    await store.close();
    await emu.close();
  });

  const input: DraftInput = {
    to: "maya.chen@example.com",
    cc: ["lead@example.com"],
    subject: "[CSM ALERT] Zürich Ärzte AG: RED health (31.5), churn risk critical — 🚨",
    text: "Usage fell 40% in four weeks.\nRenewal in 45 days: €120,000 ARR.",
    html: "<p>Usage fell <b>40%</b> in four weeks.</p><p>Renewal in 45 days: €120,000 ARR.</p>",
    idempotencyKey: "churn-alert:acc_1:2026-03-02",
    account_id: "acc_1",
    run_id: "run_1",
    kind: "alert",
  };

  it("creates a draft whose MIME parses back: headers, text and HTML alternative", async () => {
    const res = await mail.createDraft(input);
    expect(res).toMatchObject({ provider: "gmail", created: true });
    expect(emu.drafts).toHaveLength(1);
    expect(res.draft_id).toBe(emu.drafts[0]!.id);
    const raw = emu.drafts[0]!.raw.toString("latin1");
    // Non-ASCII headers travel as RFC 2047 encoded words, never raw 8-bit.
    expect(raw).toMatch(/^Subject: =\?UTF-8\?/m);
    expect(raw).toMatch(/Content-Type: multipart\/alternative/);
    const parsed = await simpleParser(emu.drafts[0]!.raw);
    expect(parsed.subject).toBe(input.subject);
    expect(parsed.from?.text).toBe('"CSM Bot" <csm-bot@example.com>');
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : "").toBe("maya.chen@example.com");
    expect(parsed.cc && !Array.isArray(parsed.cc) ? parsed.cc.text : "").toBe("lead@example.com");
    expect(parsed.text?.trim()).toBe(input.text);
    expect(parsed.html).toContain("<b>40%</b>");
    expect(parsed.html).toContain("€120,000");
  });

  it("makes no second draft for a retried create with the same key", async () => {
    const a = await mail.createDraft(input);
    const b = await mail.createDraft(input);
    const [c, d] = await Promise.all([
      mail.createDraft({ ...input, idempotencyKey: "k2" }),
      mail.createDraft({ ...input, idempotencyKey: "k2" }),
    ]);
    expect(b).toEqual({ ...a, created: false });
    expect(c!.draft_id).toBe(d!.draft_id);
    expect(emu.drafts).toHaveLength(2);
    // One OAuth exchange serves every call until the token expires.
    expect(emu.tokenRequests).toHaveLength(1);
  });

  it("lists the draft in the local outbox table for GET /v1/drafts", async () => {
    const res = await mail.createDraft(input);
    const row = await store.db.selectFrom("outbox_drafts").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ id: res.draft_id, to_addr: input.to, subject: input.subject, kind: "alert" });
  });

  it("never reaches a send endpoint", async () => {
    for (let i = 0; i < 3; i++) await mail.createDraft({ ...input, idempotencyKey: `k${i}` });
    expect(emu.sendAttempts).toEqual([]);
    expect(emu.requests.every((r) => !r.path.endsWith("/send"))).toBe(true);
    // And no source file of the mail adapters names one.
    const dir = path.resolve(import.meta.dirname, "../../../src/adapters/mail");
    for (const f of fs.readdirSync(dir)) {
      const src = fs.readFileSync(path.join(dir, f), "utf8");
      expect(src).not.toMatch(/messages\.send|drafts\.send|\/send\b/);
    }
    expect(Object.getOwnPropertyNames(GmailDrafts.prototype).sort()).toEqual(
      ["constructor", "create", "createDraft", "ping", "record"].sort(),
    );
  });

  it("the emulator refuses sends (404) and bad refresh tokens", async () => {
    const send = await fetch(`${emu.url}/gmail/v1/users/me/messages/send`, { method: "POST", body: "{}" });
    expect(send.status).toBe(404);
    expect(emu.sendAttempts).toEqual(["POST /gmail/v1/users/me/messages/send"]);
    const bad = new GmailDrafts({
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
      refreshToken: "wrong",
      sender: "x@example.com",
      rootUrl: emu.url,
      tokenUrl: emu.tokenUrl,
      db: store.db,
      effects: new SideEffects(store.db, systemClock),
      clock: systemClock,
      log: createLogger("silent"),
    });
    await expect(bad.createDraft({ ...input, idempotencyKey: "bad" })).rejects.toThrow(/invalid_grant/);
    expect(await bad.ping()).toMatchObject({ ok: false });
    expect(await mail.ping()).toEqual({ ok: true, detail: "Gmail drafts in csm-bot@example.com" });
  });

  it("surfaces a failed create, and a later retry with the key makes one draft", async () => {
    emu.failNext(1, 500);
    await expect(mail.createDraft(input)).rejects.toThrow();
    const ok = await mail.createDraft(input);
    expect(ok.created).toBe(true);
    expect(emu.drafts).toHaveLength(1);
  });
});
