/**
 * A TAM escalation over its four independent channels: the records, `tam.escalation_raised` (with
 * `alert.raised`), a Gmail draft to the account's owner with the outreach (model-written, template
 * otherwise) and a Slack alert. The real Gmail, Slack and OpenAI clients talk to the loopback emulators.
 */
import { simpleParser } from "mailparser";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ManualClock } from "../../../../src/clock.js";
import type { BusEvent } from "../../../../src/events/catalogue.js";
import type { Runtime } from "../../../../src/runtime.js";
import { GmailEmulator } from "../../../emulators/gmail.js";
import { OpenAiEmulator } from "../../../emulators/openai.js";
import { SlackEmulator } from "../../../emulators/slack.js";
import { eventually, tempDataDir } from "../../../helpers/runtime.js";
import { blockingMail } from "../../customer-success/helpers.js";
import { drafts, eventsOf, loadRecords, makeAccount } from "../../expansion/fixtures.js";
import { alertRows, NOW, redTickets, tamResult, tamRuntime, tamScan } from "../helpers.js";

const OWNER = "maya.chen@example.com";

describe("TAM escalation over real clients (Gmail, Slack, OpenAI emulators)", () => {
  let gmail: GmailEmulator;
  let slack: SlackEmulator;
  let openai: OpenAiEmulator;
  let runtime: Runtime | undefined;
  beforeEach(async () => {
    [gmail, slack, openai] = await Promise.all([
      GmailEmulator.start(),
      SlackEmulator.start(),
      OpenAiEmulator.start(),
    ]);
    runtime = await tamRuntime({
      env: {
        GMAIL_CLIENT_ID: gmail.clientId,
        GMAIL_CLIENT_SECRET: gmail.clientSecret,
        GMAIL_REFRESH_TOKEN: gmail.refreshToken,
        GMAIL_SENDER: "TAM Bot <tam-bot@example.com>",
        GMAIL_ROOT_URL: gmail.url,
        GMAIL_TOKEN_URL: gmail.tokenUrl,
        SLACK_BOT_TOKEN: slack.token,
        SLACK_API_URL: slack.apiUrl,
        SLACK_ALERT_CHANNEL: "C0ALERTS01",
        OPENAI_API_KEY: openai.apiKey,
        OPENAI_BASE_URL: openai.baseUrl,
        OPENAI_MAX_RETRIES: "0",
      },
    });
    await loadRecords(
      runtime,
      [
        makeAccount({
          id: "acc_red",
          name: "Acme Labs",
          arr: 120_000,
          csm_owner: OWNER,
          slack_channel: "#alerts",
          health_status: "Amber",
          health_score: 60,
        }),
      ],
      redTickets("acc_red"),
    );
  });
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
    await Promise.all([gmail.close(), slack.close(), openai.close()]);
  });

  const outreach = (subject: string, issue: string) =>
    JSON.stringify({
      subject,
      body: `Hello,\n\n${issue}. Could we schedule a technical review this week?\n\nBest regards,`,
      key_issues: [issue],
    });

  it("writes the records, publishes tam.escalation_raised, drafts the model's outreach to the owner in Gmail and alerts Slack", async () => {
    const issue = "4 P1 tickets have been open for 120 h";
    openai.reply({ content: outreach("Acme Labs: 4 open P1 tickets", issue) });
    const run = await tamScan(runtime!);
    expect(run.status).toBe("succeeded");
    const r = tamResult(run);
    expect(r.escalations).toEqual([
      {
        account_id: "acc_red",
        account_name: "Acme Labs",
        score: 20,
        status: "Red",
        previous_status: "Amber",
        reasons: ["score 20 is below 40", "status became Red (was Amber)"],
        failed_channels: [],
        generated_by: "llm",
      },
    ]);
    expect(r.confidence).toBe("high");

    // 1. Records.
    expect(await runtime!.records.getAccount("acc_red")).toMatchObject({
      health_score: 20,
      health_status: "Red",
      last_health_scan: NOW,
    });

    // 2. Events: the escalation (which Customer Success counts), the draft and the alert with every channel.
    const events = await runtime!.bus.replay({ since: 0, run_id: run.run_id, account_id: "acc_red" });
    const byType = (t: string) => events.filter((e) => e.type === t) as BusEvent[];
    expect(byType("tam.escalation_raised")).toHaveLength(1);
    expect(byType("tam.escalation_raised")[0]).toMatchObject({
      source: "tam",
      payload: {
        score: 20,
        status: "Red",
        previous_status: "Amber",
        reasons: ["score 20 is below 40", "status became Red (was Amber)"],
      },
    });
    expect(byType("alert.raised")[0]!.payload).toMatchObject({
      severity: "critical",
      title: "[TAM ESCALATION] Acme Labs: Red technical health (20)",
      channels: { records: "ok", draft: "ok", chat: "ok", events: "ok" },
    });
    expect(byType("draft.created")[0]!.payload).toMatchObject({
      to: OWNER,
      subject: "Acme Labs: 4 open P1 tickets",
      kind: "tam_escalation",
    });

    // 3. The Gmail draft: to the owner, the model's subject, body and key issues under an internal note.
    expect(gmail.drafts).toHaveLength(1);
    expect(gmail.sendAttempts).toEqual([]);
    const mail = await simpleParser(gmail.drafts[0]!.raw);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : "").toBe(OWNER);
    expect(mail.subject).toBe("Acme Labs: 4 open P1 tickets");
    expect(mail.text).toContain(
      "Internal note (remove before sending): technical health of Acme Labs is 20 (Red, was Amber).",
    );
    expect(mail.text).toContain(`Key issues:\n- ${issue}`);
    expect(mail.text).toContain("--- Suggested outreach ---\nHello,");
    expect(mail.text).toContain("Could we schedule a technical review this week?");

    // 4. Slack: the account's channel, the escalation with its figures.
    expect(slack.messages).toHaveLength(1);
    expect(slack.messages[0]!.channel).toBe("alerts");
    expect(slack.messages[0]!.text).toContain("Acme Labs: Red technical health (20)");
    expect(JSON.stringify(slack.messages[0]!.blocks)).toContain("Aged P1/P2");

    // The model saw the facts: the tickets and the score it may cite, nothing it has to invent.
    expect(openai.requests).toHaveLength(1);
    const prompt = JSON.stringify(openai.requests[0]!.messages);
    expect(prompt).toContain("P1 issue");
    expect(prompt).toContain('\\"score\\": 20');
  });

  it("uses the template when the model's outreach cites a number that is not in the facts", async () => {
    // The retry repeats the invented figure, so the port falls back to the template.
    const invented = outreach("Acme Labs: 37 outages this month", "37 outages this month");
    openai.reply({ content: invented }, { content: invented });
    const r = tamResult(await tamScan(runtime!));
    expect(r.escalations[0]).toMatchObject({
      account_id: "acc_red",
      generated_by: "template",
      failed_channels: [],
    });
    expect(openai.requests).toHaveLength(2);
    const mail = await simpleParser(gmail.drafts[0]!.raw);
    expect(mail.subject).toBe("Acme Labs: technical review of open issues");
    expect(mail.text).not.toContain("37");
    expect(mail.text).toMatch(/- P1 "P1 issue \d+" open for 120 h/);
  });
});

describe("TAM escalation: one failing channel never stops the others", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  it.each([
    "records",
    "draft",
    "chat",
    "events",
  ] as const)("%s fails: the other three happen", async (failing) => {
    runtime = await tamRuntime();
    await loadRecords(runtime, [makeAccount({ id: "acc_red", name: "Acme Labs" })], redTickets("acc_red"));
    const rt = runtime;
    if (failing === "records")
      vi.spyOn(rt.records, "updateAccount").mockRejectedValue(new Error("records store is down"));
    if (failing === "draft") vi.spyOn(rt.mail, "createDraft").mockRejectedValue(new Error("gmail is down"));
    if (failing === "chat") vi.spyOn(rt.chat, "postAlert").mockRejectedValue(new Error("slack is down"));
    if (failing === "events") {
      const publish = rt.bus.publish.bind(rt.bus);
      vi.spyOn(rt.bus, "publish").mockImplementation(((type: string, input: never) =>
        type === "tam.escalation_raised"
          ? Promise.reject(new Error("event log is full"))
          : publish(type as never, input)) as typeof rt.bus.publish);
    }

    const run = await tamScan(rt);
    expect(run.status).toBe("succeeded");
    const r = tamResult(run);
    expect(r.escalations).toHaveLength(1);
    expect(r.escalations[0]!.failed_channels).toEqual([failing]);
    expect(r.confidence).toBe("medium");

    const account = await rt.records.getAccount("acc_red");
    expect(account!.health_status).toBe(failing === "records" ? null : "Red");
    expect(r.records_failed).toBe(failing === "records" ? 1 : 0);
    const draftRows = await drafts(rt);
    expect(draftRows).toHaveLength(failing === "draft" ? 0 : 1);
    if (failing !== "draft") expect(draftRows[0]).toMatchObject({ to_addr: OWNER, kind: "tam_escalation" });
    expect(await alertRows(rt)).toHaveLength(failing === "chat" ? 0 : 1);
    expect(await eventsOf(rt, "tam.escalation_raised")).toHaveLength(failing === "events" ? 0 : 1);
    if (failing !== "events") {
      const [raised] = await eventsOf(rt, "alert.raised");
      expect((raised!.payload as { channels: Record<string, string> }).channels[failing]).toBe("failed");
    }
  });

  it("a later scan finishes an escalation whose chat failed: only the chat runs, under the first key, once", async () => {
    const clock = new ManualClock(NOW);
    runtime = await tamRuntime({ clock });
    const rt = runtime;
    await loadRecords(rt, [makeAccount({ id: "acc_red", name: "Acme Labs" })], redTickets("acc_red"));
    const chat = vi.spyOn(rt.chat, "postAlert").mockRejectedValueOnce(new Error("slack is down"));
    const first = tamResult(await tamScan(rt));
    expect(first.escalations.map((e) => e.failed_channels)).toEqual([["chat"]]);
    expect(await alertRows(rt)).toHaveLength(0);

    clock.advance(2 * 3_600_000);
    const second = tamResult(await tamScan(rt));
    expect(second.escalations).toHaveLength(1);
    expect(second.escalations[0]).toMatchObject({ account_id: "acc_red", retry: true, failed_channels: [] });
    expect(chat).toHaveBeenCalledTimes(2);
    expect(await alertRows(rt)).toHaveLength(1);
    // The draft, the event and the records write of the first escalation are not made again.
    expect(await drafts(rt)).toHaveLength(1);
    expect(await eventsOf(rt, "tam.escalation_raised")).toHaveLength(1);
    const state = await rt.store.db
      .selectFrom("tam_escalation_state")
      .select(["failed_channels", "last_escalated_at"])
      .where("account_id", "=", "acc_red")
      .executeTakeFirstOrThrow();
    expect(state).toEqual({ failed_channels: null, last_escalated_at: NOW });

    // Nothing left: the next scan suppresses it as a repeat within the window.
    clock.advance(2 * 3_600_000);
    const third = tamResult(await tamScan(rt));
    expect(third.escalations).toEqual([]);
    expect(chat).toHaveBeenCalledTimes(2);
  });

  it("killed mid-escalation and restarted: the scan finishes and each channel happened once per account", async () => {
    const dataDir = tempDataDir();
    const mail = blockingMail();
    runtime = await tamRuntime({ dataDir, adapters: { mail: mail.port } });
    const ids = ["acc_a", "acc_b", "acc_c"];
    await loadRecords(
      runtime,
      ids.map((id) => makeAccount({ id })),
      ids.flatMap(redTickets),
    );
    const run = await runtime.runs.dispatch({ agent_id: "tam", task: { type: "health_scan" } });
    await eventually(() => mail.calls.length > 0);
    await runtime.crash();
    mail.release();

    runtime = await tamRuntime({ dataDir });
    const done = await runtime.runs.waitFor(run.run_id, 20_000);
    expect(done.status).toBe("succeeded");
    const r = tamResult(done);
    expect(r.escalations.map((e) => [e.account_id, e.failed_channels])).toEqual(ids.map((id) => [id, []]));
    const perAccount = (rows: Array<{ account_id?: string | null }>) => rows.map((x) => x.account_id).sort();
    expect(perAccount(await drafts(runtime))).toEqual(ids);
    expect(perAccount(await alertRows(runtime))).toEqual(ids);
    expect(perAccount(await eventsOf(runtime, "tam.escalation_raised"))).toEqual(ids);
    expect(await runtime.store.db.selectFrom("tam_escalation_state").selectAll().execute()).toHaveLength(3);
  });
});
