/**
 * A loopback Slack Web API for chat.postMessage and auth.test: form-encoded (or JSON) bodies as the
 * SDK sends them, Slack's `ok:false` error codes (invalid_auth, channel_not_found, invalid_blocks,
 * no_text) and Block Kit limits, and injectable 429s with Retry-After.
 */
import { type EmulatorRequest, type EmulatorResponse, type LoopbackServer, startLoopback } from "./http.js";

export interface SlackEmulatorOptions {
  token?: string;
  /** Channels the bot is in, by name (without #) or id. */
  channels?: string[];
}

export interface PostedMessage {
  at: number;
  channel: string;
  text: string | undefined;
  blocks: Array<Record<string, unknown>>;
  ts: string;
}

export class SlackEmulator {
  readonly token: string;
  readonly channels: Set<string>;
  readonly messages: PostedMessage[] = [];
  readonly requests: Array<{ at: number; method: string; status: number; error?: string }> = [];
  private rateLimits: number[] = [];
  private server: LoopbackServer | null = null;
  private tsSeq = 0;

  private constructor(opts: SlackEmulatorOptions) {
    this.token = opts.token ?? "xoxb-emulator-token";
    this.channels = new Set(opts.channels ?? ["alerts", "C0ALERTS01"]);
  }

  static async start(opts: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
    const emu = new SlackEmulator(opts);
    emu.server = await startLoopback((req) => emu.handle(req));
    return emu;
  }

  /** The Web API base URL (what slackApiUrl takes). */
  get apiUrl(): string {
    return `${this.server!.url}/api/`;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  /** Answer the next calls 429 with `Retry-After: retryAfterSeconds`, one entry per call. */
  rateLimitNext(count: number, retryAfterSeconds: number): void {
    for (let i = 0; i < count; i++) this.rateLimits.push(retryAfterSeconds);
  }

  private params(req: EmulatorRequest): Record<string, string> {
    const type = String(req.headers["content-type"] ?? "");
    if (type.includes("application/json")) {
      const json = JSON.parse(req.body || "{}") as Record<string, unknown>;
      return Object.fromEntries(
        Object.entries(json).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
      );
    }
    return Object.fromEntries(new URLSearchParams(req.body));
  }

  private handle(req: EmulatorRequest): EmulatorResponse {
    const method = req.url.pathname.replace(/^\/api\//, "");
    const out = this.respond(method, req);
    const body = out.body as { error?: string } | undefined;
    this.requests.push({
      at: performance.now(),
      method,
      status: out.status,
      ...(body?.error ? { error: body.error } : {}),
    });
    return out;
  }

  private respond(method: string, req: EmulatorRequest): EmulatorResponse {
    const retryAfter = this.rateLimits.shift();
    if (retryAfter !== undefined) {
      return {
        status: 429,
        headers: { "retry-after": String(retryAfter) },
        body: { ok: false, error: "ratelimited" },
      };
    }
    const p = this.params(req);
    const auth = req.headers.authorization?.replace(/^Bearer /, "") ?? p.token;
    const fail = (error: string, extra: Record<string, unknown> = {}) => ({
      status: 200,
      body: { ok: false, error, ...extra },
    });
    if (auth !== this.token) return fail(auth ? "invalid_auth" : "not_authed");
    switch (method) {
      case "auth.test":
        return {
          status: 200,
          body: {
            ok: true,
            url: "https://emulator.slack.com/",
            team: "Emulator",
            user: "account-team",
            team_id: "T0EMU",
            user_id: "U0BOT",
            bot_id: "B0BOT",
          },
        };
      case "chat.postMessage":
        return this.postMessage(p, fail);
      default:
        return fail("unknown_method");
    }
  }

  private postMessage(
    p: Record<string, string>,
    fail: (error: string, extra?: Record<string, unknown>) => EmulatorResponse,
  ): EmulatorResponse {
    const channel = (p.channel ?? "").replace(/^#/, "");
    if (!channel) return fail("channel_not_found");
    if (!this.channels.has(channel)) return fail("channel_not_found");
    let blocks: Array<Record<string, unknown>> = [];
    if (p.blocks) {
      try {
        blocks = JSON.parse(p.blocks) as typeof blocks;
      } catch {
        return fail("invalid_blocks_format");
      }
      const problems = blockProblems(blocks);
      if (problems.length > 0) return fail("invalid_blocks", { errors: problems });
    }
    if (!p.text && blocks.length === 0) return fail("no_text");
    const ts = `${Math.floor(Date.now() / 1000)}.${String(++this.tsSeq).padStart(6, "0")}`;
    this.messages.push({ at: performance.now(), channel, text: p.text, blocks, ts });
    return {
      status: 200,
      body: {
        ok: true,
        channel: `C${channel.toUpperCase().slice(0, 9)}`,
        ts,
        message: { type: "message", text: p.text, ts },
      },
    };
  }
}

/** Block Kit limits Slack enforces, as Slack words its invalid_blocks errors. */
function blockProblems(blocks: Array<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  if (blocks.length > 50) problems.push("no more than 50 items allowed [json-pointer:/blocks]");
  blocks.forEach((b, i) => {
    const text = (b.text as { text?: string } | undefined)?.text;
    if (b.type === "header") {
      if ((b.text as { type?: string } | undefined)?.type !== "plain_text") {
        problems.push(`must be plain_text [json-pointer:/blocks/${i}/text/type]`);
      }
      if ((text ?? "").length > 150)
        problems.push(`must be less than 151 characters [json-pointer:/blocks/${i}/text/text]`);
    }
    if (b.type === "section") {
      if (text !== undefined && text.length > 3000) {
        problems.push(`must be less than 3001 characters [json-pointer:/blocks/${i}/text/text]`);
      }
      const fields = (b.fields as Array<{ text?: string }> | undefined) ?? [];
      if (fields.length > 10)
        problems.push(`no more than 10 items allowed [json-pointer:/blocks/${i}/fields]`);
      fields.forEach((f, j) => {
        if ((f.text ?? "").length > 2000) {
          problems.push(`must be less than 2001 characters [json-pointer:/blocks/${i}/fields/${j}/text]`);
        }
      });
      if (text === undefined && fields.length === 0)
        problems.push(`must provide text or fields [json-pointer:/blocks/${i}]`);
    }
  });
  return problems;
}
