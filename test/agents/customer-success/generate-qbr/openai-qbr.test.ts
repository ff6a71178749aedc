/** generate_qbr with the real OpenAI client (OpenAiNarrator) answering from the loopback emulator. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OpenAiNarrator } from "../../../../src/adapters/llm/openai.js";
import type { LocalRecords } from "../../../../src/adapters/records/local.js";
import type { QbrFacts } from "../../../../src/agents/customer-success/generate-qbr/facts.js";
import { toMarkdown } from "../../../../src/agents/customer-success/generate-qbr/markdown.js";
import { gatherQbrFacts } from "../../../../src/agents/customer-success/generate-qbr/nodes/gather.js";
import type { QbrSections } from "../../../../src/agents/customer-success/generate-qbr/prompt.js";
import { qbrTemplate } from "../../../../src/agents/customer-success/generate-qbr/template.js";
import { createLogger } from "../../../../src/logger.js";
import type { Runtime } from "../../../../src/runtime.js";
import { OpenAiEmulator } from "../../../emulators/openai.js";
import { generateQbr, HEALTHY_ID, qbrRuntime } from "../../qbr/helpers.js";

function answer(facts: QbrFacts, roiNarrative: string): string {
  const t = qbrTemplate(facts);
  const sections: QbrSections = {
    ...t,
    roi_business_impact: { ...t.roi_business_impact, narrative: roiNarrative },
  };
  return JSON.stringify(sections);
}

const INVENTED =
  "Automated workflows saved the team 8765 hours this quarter, a clear return on the investment.";
const GROUNDED = "Value is measured by the usage and support data on record; time saved is not tracked.";

describe("generate_qbr against the OpenAI emulator", () => {
  let emu: OpenAiEmulator;
  let runtime: Runtime | undefined;
  beforeEach(async () => {
    emu = await OpenAiEmulator.start();
    const llm = new OpenAiNarrator({
      apiKey: emu.apiKey,
      model: "gpt-4o-mini",
      baseUrl: emu.baseUrl,
      timeoutMs: 5000,
      maxRetries: 0,
      log: createLogger("silent"),
    });
    runtime = await qbrRuntime({ adapters: { llm } });
  });
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
    await emu.close();
  });

  const body = async (run: { result: Record<string, unknown> | null }) =>
    toMarkdown("t", (await (runtime!.records as LocalRecords).getQbrBody(String(run.result!.qbr_id)))!);

  it("a narrative holding a number absent from the data is retried; the grounded retry is published", async () => {
    const facts = await gatherQbrFacts(runtime!, { account_id: HEALTHY_ID, trigger: "manual" });
    emu.reply({ content: answer(facts, INVENTED) }, { content: answer(facts, GROUNDED) });
    const run = await generateQbr(runtime!, { account_id: HEALTHY_ID });
    expect(run.status).toBe("succeeded");
    expect(run.result).toMatchObject({ generated_by: "llm" });
    expect(emu.requests).toHaveLength(2);
    // The zod schema as a strict JSON Schema (converted once per schema, not per call): every section
    // required, nothing else allowed, the same on the retry.
    expect(emu.requests[0]!.response_format).toMatchObject({
      type: "json_schema",
      json_schema: {
        name: "qbr_sections",
        strict: true,
        schema: {
          type: "object",
          additionalProperties: false,
          required: [
            "account_health_summary",
            "roi_business_impact",
            "feature_adoption_scorecard",
            "expansion_next_steps",
          ],
        },
      },
    });
    expect(emu.requests[1]!.response_format).toEqual(emu.requests[0]!.response_format);
    const retry = emu.requests[1]!.messages.at(-1)!;
    expect(String(retry.content)).toMatch(/these numbers do not appear in the data: 8765/);
    const md = await body(run);
    expect(md).toContain(GROUNDED);
    expect(md).not.toContain("8765");
    expect(md).toContain("written with the language model, every figure checked against the account data");
  });

  it("a retry that still invents a number gives the template", async () => {
    const facts = await gatherQbrFacts(runtime!, { account_id: HEALTHY_ID, trigger: "manual" });
    emu.reply(
      { content: answer(facts, INVENTED) },
      { content: answer(facts, INVENTED.replace("8765", "9123")) },
    );
    const run = await generateQbr(runtime!, { account_id: HEALTHY_ID });
    expect(run.status).toBe("succeeded");
    expect(run.result).toMatchObject({
      generated_by: "template",
      fallback_reason: expect.stringMatching(/9123/),
    });
    const md = await body(run);
    expect(md).not.toMatch(/8765|9123/);
    expect(md).toContain(qbrTemplate(facts).roi_business_impact.narrative);
    expect(md).toContain("written from the deterministic template");
  });

  it("malformed JSON gives the template, recorded as generated_by: template", async () => {
    emu.reply({ content: '{"account_health_summary": {"narrative": "Health held' }, { content: "not json" });
    const run = await generateQbr(runtime!, { account_id: HEALTHY_ID });
    expect(run.status).toBe("succeeded");
    expect(run.result).toMatchObject({
      generated_by: "template",
      fallback_reason: expect.stringMatching(/malformed/),
    });
    const row = await runtime!.store.db
      .selectFrom("qbr_drafts")
      .select(["generated_by", "fallback_reason"])
      .where("run_id", "=", run.run_id)
      .executeTakeFirstOrThrow();
    expect(row.generated_by).toBe("template");
    const draft = await runtime!.store.db.selectFrom("outbox_drafts").selectAll().executeTakeFirstOrThrow();
    expect(draft.text_body).toContain("Written by: the deterministic template");
  });
});
