import { type BaseMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { ChatOpenAI } from "@langchain/openai";
import pRetry from "p-retry";
import { recordLlmUsage } from "../../graphs/run-context.js";
import type { Logger } from "../../logger.js";
import type { Reachability } from "../records/port.js";
import type { GenerateRequest, GenerateResult, LlmPort, LlmUsage } from "./port.js";

export interface OpenAiNarratorOptions {
  apiKey: string;
  model: string;
  /** Any OpenAI-compatible server (vLLM, Ollama, a proxy); default OpenAI's. */
  baseUrl?: string;
  timeoutMs: number;
  /** Retries of a failed request (rate limit, 5xx, timeout, connection). */
  maxRetries: number;
  log: Logger;
  /** First backoff delay of a request retry (tests shorten it). */
  retryMinTimeoutMs?: number;
}

/** The model did not answer (as opposed to answering badly): retried as a request, never re-asked. */
function isTransportError(err: unknown): boolean {
  if (!err || typeof err !== "object") return false;
  const e = err as { status?: unknown; name?: unknown; message?: unknown; code?: unknown };
  if (typeof e.status === "number") return true;
  if (typeof e.name === "string" && /^(TimeoutError|AbortError|APIConnection(Timeout)?Error)$/.test(e.name))
    return true;
  return (
    typeof e.message === "string" &&
    /Connection error|fetch failed|ECONNREFUSED|ECONNRESET|socket hang up/i.test(e.message)
  );
}

/** Request retries worth making: rate limits, server errors, timeouts, dropped connections; not 4xx. */
function isRetryable(err: unknown): boolean {
  const status = (err as { status?: unknown }).status;
  if (typeof status === "number") return status === 408 || status === 409 || status === 429 || status >= 500;
  return isTransportError(err);
}

function retryAfterMs(err: unknown): number | null {
  const headers = (err as { headers?: { get?: (n: string) => string | null } | Record<string, string> })
    .headers;
  const raw =
    headers && typeof (headers as { get?: unknown }).get === "function"
      ? (headers as { get: (n: string) => string | null }).get("retry-after")
      : ((headers as Record<string, string> | undefined)?.["retry-after"] ?? null);
  const seconds = raw === null || raw === undefined ? Number.NaN : Number(raw);
  return Number.isFinite(seconds) ? seconds * 1000 : null;
}

type StructuredRunnable = { invoke: (m: BaseMessage[]) => Promise<unknown> };

/**
 * The LLM port on @langchain/openai's ChatOpenAI. Output is structured (withStructuredOutput with the
 * zod schema's strict json_schema response format) and checked twice: against the zod schema, and with the caller's
 * validate(). A malformed or invalid answer gets one more try, told what was wrong; then the caller's
 * template is used, marked generated_by "template" with the reason. Token usage goes on the run.
 * Request retries are ours (p-retry, honouring Retry-After); LangChain's own retry layer is off so a
 * malformed answer is not silently re-requested by it as well.
 */
export class OpenAiNarrator implements LlmPort {
  readonly kind = "openai" as const;
  private readonly model: ChatOpenAI;
  /** The structured-output runnable of each schema and name, built once (see structuredFor). */
  private readonly structured = new WeakMap<object, Map<string, StructuredRunnable>>();

  constructor(private readonly o: OpenAiNarratorOptions) {
    this.model = new ChatOpenAI({
      model: o.model,
      apiKey: o.apiKey,
      timeout: o.timeoutMs,
      maxRetries: 0,
      temperature: 0.2,
      ...(o.baseUrl ? { configuration: { baseURL: o.baseUrl } } : {}),
    });
  }

  /**
   * A zod schema given to withStructuredOutput is converted to JSON Schema again on every call (twice:
   * for the request and for its tracing parameters), which costs more CPU than the rest of the call. The
   * conversion is the same each time, so it is made once per schema, exactly as LangChain makes it for
   * a zod response format (strict json_schema, title set to the name), and the runnable is kept. The
   * answer is parsed as JSON here and validated against the zod schema in generate().
   */
  private structuredFor(schema: object, name: string): StructuredRunnable {
    let byName = this.structured.get(schema);
    if (!byName) {
      byName = new Map();
      this.structured.set(schema, byName);
    }
    let runnable = byName.get(name);
    if (!runnable) {
      // zod's result also carries a hidden `~standard` interface, which LangChain would take for a schema
      // to convert again (as draft-07); the JSON round trip keeps the plain JSON Schema only.
      const jsonSchema = JSON.parse(
        JSON.stringify(
          toJsonSchema(schema as never, {
            cycles: "ref",
            reused: "ref",
            override(ctx) {
              ctx.jsonSchema.title = name;
            },
          }),
        ),
      ) as Record<string, unknown>;
      runnable = this.model.withStructuredOutput(jsonSchema, {
        name,
        method: "jsonSchema",
        strict: true,
        includeRaw: true,
      }) as StructuredRunnable;
      byName.set(name, runnable);
    }
    return runnable;
  }

  async generate<T>(req: GenerateRequest<T>): Promise<GenerateResult<T>> {
    const structured = this.structuredFor(
      req.schema,
      req.purpose.replace(/[^\w-]/g, "_").slice(0, 64) || "output",
    );
    const base: BaseMessage[] = [new SystemMessage(req.system), new HumanMessage(req.user)];
    const usage: LlmUsage = { input_tokens: 0, output_tokens: 0 };
    let problem = "";
    for (let attempt = 1; attempt <= 2; attempt++) {
      const messages =
        attempt === 1
          ? base
          : [
              ...base,
              new HumanMessage(
                `Your previous answer could not be used: ${problem}. Answer again, following the schema exactly and using only figures from the data above.`,
              ),
            ];
      let answer: { raw: BaseMessage; parsed: unknown };
      try {
        answer = (await this.invoke(structured, messages)) as { raw: BaseMessage; parsed: unknown };
      } catch (err) {
        if (isTransportError(err))
          return this.fallback(req, `model unavailable: ${(err as Error).message}`, usage);
        problem = `malformed output (${(err as Error).message.slice(0, 200)})`;
        continue;
      }
      const meta = (answer.raw as { usage_metadata?: { input_tokens?: number; output_tokens?: number } })
        .usage_metadata;
      if (meta) {
        const u = { input_tokens: meta.input_tokens ?? 0, output_tokens: meta.output_tokens ?? 0 };
        usage.input_tokens += u.input_tokens;
        usage.output_tokens += u.output_tokens;
        recordLlmUsage(u);
      }
      const checked = req.schema.safeParse(answer.parsed);
      if (!checked.success) {
        problem = `malformed output (${checked.error.issues
          .map((i) => `${i.path.join(".") || "answer"}: ${i.message}`)
          .join("; ")
          .slice(0, 300)})`;
        continue;
      }
      const invalid = req.validate?.(checked.data) ?? null;
      if (invalid) {
        problem = invalid;
        continue;
      }
      return { output: checked.data, generated_by: "llm", usage };
    }
    return this.fallback(req, `model output unusable after a retry: ${problem}`, usage);
  }

  private async invoke(
    runnable: { invoke: (m: BaseMessage[]) => Promise<unknown> },
    messages: BaseMessage[],
  ) {
    return pRetry(() => runnable.invoke(messages), {
      retries: this.o.maxRetries,
      minTimeout: this.o.retryMinTimeoutMs ?? 1000,
      factor: 2,
      randomize: true,
      shouldRetry: ({ error }) => isRetryable(error),
      onFailedAttempt: async ({ error, attemptNumber }) => {
        this.o.log.debug({ attempt: attemptNumber, err: error.message }, "openai request failed");
        const wait = retryAfterMs(error);
        if (wait !== null && isRetryable(error))
          await new Promise((r) => setTimeout(r, Math.min(wait, 60_000)));
      },
    });
  }

  private fallback<T>(req: GenerateRequest<T>, reason: string, usage: LlmUsage): GenerateResult<T> {
    this.o.log.warn({ purpose: req.purpose, reason }, "llm output replaced by the template");
    return {
      output: req.schema.parse(req.template()),
      generated_by: "template",
      fallback_reason: reason,
      ...(usage.input_tokens + usage.output_tokens > 0 ? { usage } : {}),
    };
  }

  async ping(): Promise<Reachability> {
    try {
      const res = await this.model.invoke([new HumanMessage("Reply with the single word: ok")], {
        // A ping is one short request: no retries, a short wait.
        signal: AbortSignal.timeout(Math.min(this.o.timeoutMs, 10_000)),
      });
      const usage = res.usage_metadata;
      if (usage) recordLlmUsage({ input_tokens: usage.input_tokens, output_tokens: usage.output_tokens });
      return {
        ok: true,
        detail: `OpenAI-compatible model ${this.o.model}${this.o.baseUrl ? ` at ${this.o.baseUrl}` : ""}`,
      };
    } catch (err) {
      return { ok: false, detail: `model ${this.o.model} unreachable: ${(err as Error).message}` };
    }
  }
}
