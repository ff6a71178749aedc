import { ChatOpenAI } from "@langchain/openai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { OpenAiNarrator } from "../../../src/adapters/llm/openai.js";
import type { GenerateRequest } from "../../../src/adapters/llm/port.js";
import { type RunContext, runContext } from "../../../src/graphs/run-context.js";
import { createLogger } from "../../../src/logger.js";
import { OpenAiEmulator } from "../../emulators/openai.js";

const schema = z.object({
  risk_narrative: z.string().min(1),
  recommended_actions: z.array(z.string()),
});
type Narrative = z.infer<typeof schema>;

const request = (over: Partial<GenerateRequest<Narrative>> = {}): GenerateRequest<Narrative> => ({
  purpose: "churn_narrative",
  system: "You are a customer success analyst.",
  user: "Account Acme: score 31.5, usage down 40%, renewal in 45 days.",
  schema,
  template: () => ({ risk_narrative: "Template narrative.", recommended_actions: ["Call the champion"] }),
  ...over,
});

const good: Narrative = {
  risk_narrative: "Usage fell 40% and renewal is in 45 days.",
  recommended_actions: ["Book a call"],
};

describe("OpenAI narrator over the emulator", () => {
  let emu: OpenAiEmulator;
  let llm: OpenAiNarrator;
  beforeEach(async () => {
    emu = await OpenAiEmulator.start();
    llm = new OpenAiNarrator({
      apiKey: emu.apiKey,
      model: "gpt-4o-mini",
      baseUrl: emu.baseUrl,
      timeoutMs: 2000,
      maxRetries: 2,
      retryMinTimeoutMs: 10,
      log: createLogger("silent"),
    });
  });
  afterEach(async () => {
    await emu.close();
  });

  const inRun = async <T>(fn: () => Promise<T>) => {
    const ctx: RunContext = { run_id: "run_1", usage: { input_tokens: 0, output_tokens: 0, calls: 0 } };
    const result = await runContext.run(ctx, fn);
    return { result, ctx };
  };

  it("asks for json_schema output and records token usage on the run", async () => {
    emu.reply({ content: JSON.stringify(good) });
    const { result, ctx } = await inRun(() => llm.generate(request()));
    expect(result).toMatchObject({ output: good, generated_by: "llm" });
    expect(result.fallback_reason).toBeUndefined();
    const sent = emu.requests[0]!;
    expect(sent.model).toBe("gpt-4o-mini");
    expect(sent.response_format).toMatchObject({
      type: "json_schema",
      json_schema: { name: "churn_narrative" },
    });
    expect(sent.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(ctx.usage.calls).toBe(1);
    expect(ctx.usage.input_tokens).toBeGreaterThan(0);
    expect(ctx.usage).toMatchObject({
      input_tokens: result.usage!.input_tokens,
      output_tokens: result.usage!.output_tokens,
    });
  });

  it("asks once more after malformed output, then uses the answer", async () => {
    emu.reply({ content: "{ not json" }, { content: JSON.stringify(good) });
    const result = await llm.generate(request());
    expect(result).toMatchObject({ output: good, generated_by: "llm" });
    expect(emu.requests).toHaveLength(2);
    const retry = emu.requests[1]!.messages.at(-1)!;
    expect(String(retry.content)).toMatch(/could not be used: malformed output/);
  });

  it("falls back to the template after two malformed answers", async () => {
    emu.reply({ content: "{ not json" }, { content: JSON.stringify({ risk_narrative: "" }) });
    const result = await llm.generate(request());
    expect(result.generated_by).toBe("template");
    expect(result.output).toEqual(request().template());
    expect(result.fallback_reason).toMatch(/unusable after a retry: malformed output/);
    expect(emu.requests).toHaveLength(2);
  });

  it("states validate()'s problem in the retry, and uses the template if it persists", async () => {
    const validate = (o: Narrative) =>
      o.risk_narrative.includes("99%") ? "99% does not appear in the data" : null;
    emu.reply(
      { content: JSON.stringify({ ...good, risk_narrative: "Usage fell 99%." }) },
      { content: JSON.stringify(good) },
    );
    expect(await llm.generate(request({ validate }))).toMatchObject({ output: good, generated_by: "llm" });
    expect(String(emu.requests[1]!.messages.at(-1)!.content)).toContain("99% does not appear in the data");

    const bad = JSON.stringify({ ...good, risk_narrative: "Usage fell 99%." });
    emu.reply({ content: bad }, { content: bad });
    const fallback = await llm.generate(request({ validate }));
    expect(fallback).toMatchObject({
      generated_by: "template",
      fallback_reason: "model output unusable after a retry: 99% does not appear in the data",
    });
  });

  it("retries server errors, honours Retry-After on 429, and falls back when the model stays down", async () => {
    emu.reply({ status: 429, retryAfterSeconds: 0.3 }, { status: 503 }, { content: JSON.stringify(good) });
    const t0 = performance.now();
    expect((await llm.generate(request())).generated_by).toBe("llm");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    expect(emu.requests).toHaveLength(3);

    emu.reply({ status: 500 }, { status: 500 }, { status: 500 });
    const down = await llm.generate(request());
    expect(down.generated_by).toBe("template");
    expect(down.fallback_reason).toMatch(/^model unavailable/);
    expect(emu.requests).toHaveLength(6);
  });

  it("does not retry a refused request (401) and falls back", async () => {
    const wrong = new OpenAiNarrator({
      apiKey: "sk-wrong",
      model: "gpt-4o-mini",
      baseUrl: emu.baseUrl,
      timeoutMs: 2000,
      maxRetries: 2,
      retryMinTimeoutMs: 10,
      log: createLogger("silent"),
    });
    const result = await wrong.generate(request());
    expect(result.generated_by).toBe("template");
    expect(emu.unauthorized).toBe(1);
    expect(result.fallback_reason).toMatch(/^model unavailable: .*Incorrect API key/);
    expect((await wrong.ping()).ok).toBe(false);
    expect((await llm.ping()).ok).toBe(true);
  });

  it("times out a slow model and falls back", async () => {
    const quick = new OpenAiNarrator({
      apiKey: emu.apiKey,
      model: "gpt-4o-mini",
      baseUrl: emu.baseUrl,
      timeoutMs: 150,
      maxRetries: 0,
      log: createLogger("silent"),
    });
    emu.reply({ delayMs: 1000, content: JSON.stringify(good) });
    const t0 = performance.now();
    const result = await quick.generate(request());
    expect(result).toMatchObject({ generated_by: "template" });
    expect(result.fallback_reason).toMatch(/model unavailable/);
    expect(performance.now() - t0).toBeLessThan(900);
  });

  it("streams through ChatOpenAI, with the usage chunk", async () => {
    const model = new ChatOpenAI({
      model: "gpt-4o-mini",
      apiKey: emu.apiKey,
      configuration: { baseURL: emu.baseUrl },
      streaming: true,
      streamUsage: true,
    });
    emu.reply({ content: "Renewal risk is high because usage fell." });
    let text = "";
    let usage: { input_tokens: number; output_tokens: number } | undefined;
    for await (const chunk of await model.stream("Summarize the risk")) {
      text += String(chunk.content);
      if (chunk.usage_metadata) usage = chunk.usage_metadata;
    }
    expect(text).toBe("Renewal risk is high because usage fell.");
    expect(usage).toMatchObject({ input_tokens: 3, output_tokens: 7 });
    expect(emu.requests[0]).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });
});
