/**
 * The runtime picks every real adapter from the environment alone, each base URL pointed at its loopback
 * emulator (NOTION_BASE_URL, GMAIL_ROOT_URL, GMAIL_TOKEN_URL, SLACK_API_URL, OPENAI_BASE_URL), and a
 * health scan then works end to end through all four: records in Notion, alerts in Slack, drafts in
 * Gmail, narratives from the model with the tokens recorded on the run.
 */
import { NotionApi } from "../../src/adapters/records/notion/client.js";
import { createNotionDatabases } from "../../src/adapters/records/notion/setup.js";
import { customerSuccessAgent } from "../../src/agents/customer-success/index.js";
import { ManualClock } from "../../src/clock.js";
import { generateDemoBook } from "../../src/demo/book.js";
import { GmailEmulator } from "../emulators/gmail.js";
import { NotionEmulator } from "../emulators/notion.js";
import { OpenAiEmulator } from "../emulators/openai.js";
import { SlackEmulator } from "../emulators/slack.js";
import { test as base, describe, expect } from "../helpers/fixture.js";
import { seedNotion } from "./notion-stack.js";

const NOW = "2026-03-11T14:23:00.000Z";
const book = generateDemoBook({ accounts: 60, now: new Date(NOW) });

interface Emulators {
  notion: NotionEmulator;
  gmail: GmailEmulator;
  slack: SlackEmulator;
  openai: OpenAiEmulator;
  /** Notion's databases, by the env variable that names each. */
  databases: Record<string, string>;
  /** Fixture account id -> its Notion page. */
  pageOf: Map<string, string>;
}

// The four emulators (Notion seeded with the book) outlive the runtime built over them.
const test = base.extend(
  "emulators",
  { scope: "file" },
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
  async ({}, { onCleanup }): Promise<Emulators> => {
    const [notion, gmail, slack, openai] = await Promise.all([
      NotionEmulator.start(),
      GmailEmulator.start(),
      SlackEmulator.start({
        channels: [
          "alerts",
          ...book.accounts.flatMap((a) => (a.slack_channel ? [a.slack_channel.replace(/^#/, "")] : [])),
        ],
      }),
      OpenAiEmulator.start(),
    ]);
    onCleanup(async () => {
      await Promise.all([notion.close(), gmail.close(), slack.close(), openai.close()]);
    });
    const made = await createNotionDatabases(
      new NotionApi({ token: notion.token, baseUrl: notion.url, ratePerSec: 1000 }),
      notion.addParentPage(),
    );
    const dataSources = Object.fromEntries(made.map((m) => [m.key, m.data_source_id]));
    const pageOf = seedNotion(
      { emu: notion, dataSources } as unknown as Parameters<typeof seedNotion>[0],
      book.accounts,
      book.tickets,
    );
    const databases = Object.fromEntries(made.map((m) => [m.env, m.database_id]));
    return { notion, gmail, slack, openai, databases, pageOf };
  },
);

test.override(
  "runtimeOptions",
  { scope: "file" },
  ({ emulators: { notion, gmail, slack, openai, databases } }) => ({
    agents: [customerSuccessAgent],
    clock: new ManualClock(NOW),
    env: {
      NOTION_TOKEN: notion.token,
      NOTION_BASE_URL: notion.url,
      NOTION_RATE_LIMIT_RPS: "100",
      ...databases,
      GMAIL_CLIENT_ID: gmail.clientId,
      GMAIL_CLIENT_SECRET: gmail.clientSecret,
      GMAIL_REFRESH_TOKEN: gmail.refreshToken,
      GMAIL_SENDER: "csm-bot@example.com",
      GMAIL_ROOT_URL: gmail.url,
      GMAIL_TOKEN_URL: gmail.tokenUrl,
      SLACK_BOT_TOKEN: slack.token,
      SLACK_ALERT_CHANNEL: "alerts",
      SLACK_API_URL: slack.apiUrl,
      OPENAI_API_KEY: openai.apiKey,
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_MODEL: "gpt-4o-mini",
    },
  }),
);

describe("real adapters chosen from the environment", () => {
  test("serves each port with its real adapter, each reachable at its configured URL", async ({
    runtime,
  }) => {
    expect([runtime.records.kind, runtime.mail.kind, runtime.chat.kind, runtime.llm.kind]).toEqual([
      "notion",
      "gmail",
      "slack",
      "openai",
    ]);
    for (const port of [runtime.records, runtime.mail, runtime.chat, runtime.llm]) {
      expect(await port.ping(), port.kind).toMatchObject({ ok: true });
    }
  });

  test("runs a health scan through all four: Notion records, Slack alerts, Gmail drafts, model narratives", async ({
    runtime,
    emulators: { notion, gmail, slack, openai, pageOf },
  }) => {
    const modelCallsBefore = openai.requests.length;
    const run = await runtime.runs.dispatchAndWait(
      { agent_id: "customer-success", task: { type: "health_scan" } },
      60_000,
    );
    expect(run.status, JSON.stringify(run.result)).toBe("succeeded");
    const result = run.result as {
      scanned: number;
      alerts_raised: Array<{
        account_id: string;
        channels: Record<string, string>;
        failed_channels: string[];
      }>;
    };
    expect(result.scanned).toBe(book.accounts.length);
    expect(result.alerts_raised.length).toBeGreaterThan(0);
    for (const a of result.alerts_raised) expect(a.failed_channels, JSON.stringify(a)).toEqual([]);

    // The scores are in Notion, the alerts in Slack, the drafts in Gmail (never sent).
    const scored = [...pageOf.values()].filter(
      (id) =>
        (notion.pageJson(id).properties as Record<string, { number: number | null }>)["CSM Health Score"]!
          .number !== null,
    );
    expect(scored.length).toBeGreaterThan(book.accounts.length / 2);
    expect(slack.messages.length).toBe(result.alerts_raised.length);
    expect(gmail.drafts.length).toBeGreaterThan(0);
    expect(gmail.sendAttempts).toEqual([]);

    // The narratives came from the model, and the run holds the tokens they cost.
    const modelCalls = openai.requests.length - modelCallsBefore;
    expect(modelCalls).toBeGreaterThanOrEqual(result.alerts_raised.length);
    expect(run.usage).toMatchObject({ calls: modelCalls });
    expect(run.usage!.input_tokens).toBeGreaterThan(0);
    expect(run.usage!.output_tokens).toBeGreaterThan(0);
  });
});
