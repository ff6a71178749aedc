import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AlertInput } from "../../../src/adapters/chat/port.js";
import { SlackAlerts } from "../../../src/adapters/chat/slack.js";
import { alertBlocks, SLACK_LIMITS } from "../../../src/adapters/chat/slack-blocks.js";
import { systemClock } from "../../../src/clock.js";
import { createLogger } from "../../../src/logger.js";
import { openStore, type StoreHandle } from "../../../src/store/db.js";
import { SlackEmulator } from "../../emulators/slack.js";

const alert: AlertInput = {
  channel: "#alerts",
  severity: "critical",
  title: "Zürich Ärzte AG: RED health (31.5), churn risk critical",
  text: "Usage fell 40% in four weeks; renewal in 45 days. <b>not html</b> & more",
  fields: [
    { label: "Score", value: "31.5" },
    { label: "ARR", value: "$120,000" },
  ],
  account_id: "acc_1",
  run_id: "run_1",
  idempotencyKey: "churn-alert:acc_1:critical:2026-03-02",
};

describe("Block Kit within Slack's limits", () => {
  it("cuts the header at 150, splits sections at 3,000, keeps 50 blocks", () => {
    const long = alertBlocks({
      ...alert,
      title: "T".repeat(400),
      text: "word ".repeat(40_000),
      fields: Array.from({ length: 25 }, (_, i) => ({ label: `f${i}`, value: "v".repeat(2500) })),
    });
    expect(long.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    const header = long.blocks[0] as unknown as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    for (const b of long.blocks) {
      const t = (b.text as { text?: string } | undefined)?.text;
      if (b.type === "section" && t) expect(t.length).toBeLessThanOrEqual(3000);
      for (const f of (b.fields as Array<{ text: string }> | undefined) ?? [])
        expect(f.text.length).toBeLessThanOrEqual(2000);
    }
    expect(long.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackChars);
    const short = alertBlocks(alert);
    expect(short.blocks.map((b) => b.type)).toEqual(["header", "section", "section", "context"]);
    expect((short.blocks[1]!.text as { text: string }).text).toContain(
      "&lt;b&gt;not html&lt;/b&gt; &amp; more",
    );
  });
});

describe("Slack alerts over the emulator", () => {
  let emu: SlackEmulator;
  let store: StoreHandle;
  let chat: SlackAlerts;
  beforeEach(async () => {
    emu = await SlackEmulator.start();
    store = await openStore(":memory:");
    chat = new SlackAlerts({
      token: emu.token,
      defaultChannel: "C0ALERTS01",
      apiUrl: emu.apiUrl,
      db: store.db,
      clock: systemClock,
      log: createLogger("silent"),
    });
  });
  afterEach(async () => {
    await store.close();
    await emu.close();
  });

  const row = (id: string) =>
    store.db.selectFrom("alerts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

  it("posts Block Kit with a text fallback to the account's channel, once per key", async () => {
    const res = await chat.postAlert(alert);
    expect(res).toMatchObject({ provider: "slack", ok: true, created: true });
    expect(emu.messages).toHaveLength(1);
    const msg = emu.messages[0]!;
    expect(msg.channel).toBe("alerts");
    expect(msg.text).toContain("RED health (31.5)");
    expect(msg.blocks[0]).toMatchObject({ type: "header", text: { type: "plain_text" } });
    expect(await row(res.alert_id)).toMatchObject({
      delivered: 1,
      error: null,
      channel: "#alerts",
      severity: "critical",
    });
    expect(await chat.postAlert(alert)).toEqual({ ...res, created: false });
    expect(emu.messages).toHaveLength(1);
  });

  it("uses SLACK_ALERT_CHANNEL when the account has no channel", async () => {
    await chat.postAlert({ ...alert, channel: null, idempotencyKey: "k-default" });
    expect(emu.messages[0]!.channel).toBe("C0ALERTS01");
  });

  it("waits Retry-After on a 429 and then delivers", async () => {
    emu.rateLimitNext(1, 1);
    const t0 = performance.now();
    const res = await chat.postAlert(alert);
    const waited = performance.now() - t0;
    expect(res.ok).toBe(true);
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(emu.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(emu.messages[0]!.at - emu.requests[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it("records ok:false with Slack's error code, and delivers on a later try", async () => {
    const res = await chat.postAlert({ ...alert, channel: "#nowhere" });
    expect(res).toMatchObject({ ok: false, error: "channel_not_found" });
    expect(await row(res.alert_id)).toMatchObject({ delivered: 0, error: "channel_not_found" });
    emu.channels.add("nowhere");
    const again = await chat.postAlert({ ...alert, channel: "#nowhere" });
    expect(again).toMatchObject({ alert_id: res.alert_id, ok: true });
    expect(await row(res.alert_id)).toMatchObject({ delivered: 1, error: null });
  });

  it("records invalid_auth and a missing channel without throwing", async () => {
    const bad = new SlackAlerts({
      token: "xoxb-wrong",
      apiUrl: emu.apiUrl,
      db: store.db,
      clock: systemClock,
      log: createLogger("silent"),
    });
    expect(await bad.postAlert({ ...alert, idempotencyKey: "bad-auth" })).toMatchObject({
      ok: false,
      error: "invalid_auth",
    });
    expect(await bad.postAlert({ ...alert, channel: null, idempotencyKey: "no-channel" })).toMatchObject({
      ok: false,
      error: "no_channel",
    });
    expect(await bad.ping()).toEqual({ ok: false, detail: "Slack unreachable: invalid_auth" });
    expect((await chat.ping()).ok).toBe(true);
  });

  it("gives up after repeated 429s and records it", async () => {
    const quick = new SlackAlerts({
      token: emu.token,
      apiUrl: emu.apiUrl,
      db: store.db,
      clock: systemClock,
      log: createLogger("silent"),
      maxRateLimitWaits: 1,
    });
    emu.rateLimitNext(2, 0);
    expect(await quick.postAlert(alert)).toMatchObject({ ok: false, error: "ratelimited" });
    expect(emu.messages).toHaveLength(0);
  });

  it("the emulator refuses blocks beyond Slack's limits", async () => {
    const res = await fetch(`${emu.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { authorization: `Bearer ${emu.token}`, "content-type": "application/json" },
      body: JSON.stringify({
        channel: "alerts",
        blocks: [{ type: "header", text: { type: "plain_text", text: "x".repeat(151) } }],
      }),
    });
    expect(await res.json()).toMatchObject({ ok: false, error: "invalid_blocks" });
  });
});
