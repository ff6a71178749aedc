/**
 * A loopback OpenAI-compatible chat completions API (what vLLM and Ollama also serve): `response_format`
 * json_schema, usage counts, streaming as server-sent events (with the usage chunk when asked), and
 * OpenAI's error JSON. Replies are scripted per test; unscripted calls get an instance built from the
 * requested JSON schema.
 */
import { randomBytes } from "node:crypto";
import { type EmulatorRequest, type EmulatorResponse, type LoopbackServer, startLoopback } from "./http.js";

export type ScriptedReply =
  | { content: string; finish_reason?: "stop" | "length" }
  | { status: number; message?: string; retryAfterSeconds?: number }
  | { delayMs: number; content: string };

export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: string | Array<{ type: string; text?: string }> }>;
  response_format?: {
    type: string;
    json_schema?: { name: string; schema: Record<string, unknown>; strict?: boolean };
  };
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
}

type Json = Record<string, unknown>;

/** The smallest instance of a JSON schema (what an unscripted reply holds). */
export function instanceOf(schema: Json | undefined): unknown {
  if (!schema) return {};
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const anyOf = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (anyOf?.[0]) return instanceOf(anyOf[0]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case "object": {
      const props = (schema.properties as Record<string, Json> | undefined) ?? {};
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, instanceOf(v)]));
    }
    case "array":
      return schema.minItems
        ? Array.from({ length: Number(schema.minItems) }, () => instanceOf(schema.items as Json))
        : [];
    case "string":
      return "x".repeat(Number(schema.minLength ?? 0)) || "emulated";
    case "number":
    case "integer":
      return Number(schema.minimum ?? 0);
    case "boolean":
      return false;
    case "null":
      return null;
    default:
      return {};
  }
}

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

export class OpenAiEmulator {
  readonly apiKey: string;
  readonly requests: ChatRequest[] = [];
  /** Calls refused for a wrong API key. */
  unauthorized = 0;
  private readonly script: ScriptedReply[] = [];
  private server: LoopbackServer | null = null;

  private constructor(apiKey: string) {
    this.apiKey = apiKey;
  }

  static async start(opts: { apiKey?: string } = {}): Promise<OpenAiEmulator> {
    const emu = new OpenAiEmulator(opts.apiKey ?? "sk-emulator");
    emu.server = await startLoopback((req) => emu.handle(req));
    return emu;
  }

  /** The base URL an OpenAI client takes (…/v1). */
  get baseUrl(): string {
    return `${this.server!.url}/v1`;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  /** Replies for the next calls, in order. */
  reply(...replies: ScriptedReply[]): void {
    this.script.push(...replies);
  }

  private error(
    status: number,
    message: string,
    type: string,
    headers: Record<string, string> = {},
  ): EmulatorResponse {
    return { status, headers, body: { error: { message, type, param: null, code: null } } };
  }

  private async handle(req: EmulatorRequest): Promise<EmulatorResponse> {
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      this.unauthorized++;
      return this.error(401, "Incorrect API key provided.", "invalid_request_error");
    }
    if (req.method === "GET" && req.url.pathname === "/v1/models") {
      return {
        status: 200,
        body: { object: "list", data: [{ id: "gpt-4o-mini", object: "model", owned_by: "emulator" }] },
      };
    }
    if (req.method !== "POST" || req.url.pathname !== "/v1/chat/completions") {
      return this.error(
        404,
        `Unknown request URL: ${req.method} ${req.url.pathname}.`,
        "invalid_request_error",
      );
    }
    const body = JSON.parse(req.body) as ChatRequest;
    this.requests.push(body);
    const next = this.script.shift();
    if (next && "status" in next) {
      return this.error(
        next.status,
        next.message ?? "The server had an error while processing your request.",
        next.status === 429 ? "requests" : "server_error",
        next.retryAfterSeconds !== undefined ? { "retry-after": String(next.retryAfterSeconds) } : {},
      );
    }
    if (next && "delayMs" in next) await new Promise((r) => setTimeout(r, next.delayMs));
    const content =
      next?.content ??
      JSON.stringify(instanceOf(body.response_format?.json_schema?.schema as Json | undefined));
    const finish = (next && "finish_reason" in next ? next.finish_reason : undefined) ?? "stop";
    const promptTokens = body.messages.reduce(
      (n, m) =>
        n + words(typeof m.content === "string" ? m.content : m.content.map((c) => c.text ?? "").join(" ")),
      0,
    );
    const usage = { prompt_tokens: promptTokens, completion_tokens: words(content) || 1, total_tokens: 0 };
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
    const id = `chatcmpl-${randomBytes(12).toString("hex")}`;
    const created = Math.floor(Date.now() / 1000);
    if (body.stream) {
      const chunk = (delta: Json, finish_reason: string | null, extra: Json = {}) =>
        `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [{ index: 0, delta, finish_reason, logprobs: null }], ...extra })}\n\n`;
      const pieces = content.match(/.{1,8}/gs) ?? [""];
      const events = [
        chunk({ role: "assistant", content: "" }, null),
        ...pieces.map((p) => chunk({ content: p }, null)),
        chunk({}, finish),
      ];
      if (body.stream_options?.include_usage) {
        events.push(
          `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [], usage })}\n\n`,
        );
      }
      events.push("data: [DONE]\n\n");
      return { status: 200, events };
    }
    return {
      status: 200,
      body: {
        id,
        object: "chat.completion",
        created,
        model: body.model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content, refusal: null },
            finish_reason: finish,
            logprobs: null,
          },
        ],
        usage,
        system_fingerprint: "fp_emulator",
      },
    };
  }
}
