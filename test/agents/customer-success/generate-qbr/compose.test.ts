import { afterEach, describe, expect, it } from "vitest";
import type { LocalRecords } from "../../../../src/adapters/records/local.js";
import type { QbrFacts } from "../../../../src/agents/customer-success/generate-qbr/facts.js";
import { toMarkdown } from "../../../../src/agents/customer-success/generate-qbr/markdown.js";
import { composeQbr } from "../../../../src/agents/customer-success/generate-qbr/nodes/compose.js";
import { gatherQbrFacts } from "../../../../src/agents/customer-success/generate-qbr/nodes/gather.js";
import { renderQbr } from "../../../../src/agents/customer-success/generate-qbr/nodes/render.js";
import {
  QBR_SECTION_KEYS,
  type QbrSections,
  QbrSectionsSchema,
  sectionTexts,
} from "../../../../src/agents/customer-success/generate-qbr/prompt.js";
import { qbrTemplate } from "../../../../src/agents/customer-success/generate-qbr/template.js";
import { numberGroundingValidator } from "../../../../src/agents/shared/narrative.js";
import { createLogger } from "../../../../src/logger.js";
import type { Runtime } from "../../../../src/runtime.js";
import { demoBook, generateQbr, HEALTHY_ID, qbrRuntime, ScriptedLlm } from "../../qbr/helpers.js";

const log = createLogger("silent");

/** A model answer: the template's sections reworded, with one number slipped into the ROI narrative. */
function answerWith(facts: QbrFacts, roiNarrative: string): QbrSections {
  const t = qbrTemplate(facts);
  return { ...t, roi_business_impact: { ...t.roi_business_impact, narrative: roiNarrative } };
}

describe("QBR composition", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  it("the template is schema-valid and grounded for every demo account, before and after a health scan", async () => {
    runtime = await qbrRuntime();
    const check = async (period: string | undefined) => {
      for (const a of demoBook.accounts) {
        const facts = await gatherQbrFacts(runtime!, { account_id: a.id, period, trigger: "manual" });
        const sections = QbrSectionsSchema.parse(qbrTemplate(facts));
        expect(numberGroundingValidator<QbrSections>(facts, sectionTexts)(sections), a.id).toBeNull();
      }
    };
    await check(undefined);
    await check("Q1 2026");
    // A scan stores breakdowns in the history: the summary then names the signals that moved.
    const scanned = await runtime.runs.dispatchAndWait({
      agent_id: "customer-success",
      task: { type: "health_scan" },
    });
    expect(scanned.status).toBe("succeeded");
    await runtime.store.db
      .insertInto("health_history")
      .values({
        account_id: HEALTHY_ID,
        at: "2026-07-02T07:00:00.000Z",
        score: 50,
        rag: "AMBER",
        run_id: "run_seeded_early",
        detail: JSON.stringify({
          breakdown: [
            { signal: "nps", points: 1 },
            { signal: "support", points: 2 },
          ],
        }),
      })
      .execute();
    await check("Q4 2026");
    const facts = await gatherQbrFacts(runtime, {
      account_id: HEALTHY_ID,
      period: "Q3 2026",
      trigger: "manual",
    });
    expect(facts.health.signals_moved.length).toBe(0);
    const q4 = await gatherQbrFacts(runtime, {
      account_id: HEALTHY_ID,
      period: "Q4 2026",
      trigger: "manual",
    });
    expect(q4.health.points).toBe(1);
    await runtime.store.db
      .updateTable("health_history")
      .set({ at: "2026-10-01T07:00:00.000Z" })
      .where("run_id", "=", "run_seeded_early")
      .execute();
    const moved = await gatherQbrFacts(runtime, {
      account_id: HEALTHY_ID,
      period: "Q4 2026",
      trigger: "manual",
    });
    expect(moved.health.signals_moved.length).toBeGreaterThan(0);
    expect(qbrTemplate(moved).account_health_summary.narrative).toMatch(/signals that moved the score most/);
    expect(numberGroundingValidator<QbrSections>(moved, sectionTexts)(qbrTemplate(moved))).toBeNull();
  });

  it("uses the model's sections when every number is grounded", async () => {
    runtime = await qbrRuntime();
    const facts = await gatherQbrFacts(runtime, { account_id: HEALTHY_ID, trigger: "manual" });
    const llm = new ScriptedLlm([
      answerWith(facts, `Usage held up well across ${facts.period.label}, per the data on record.`),
    ]);
    const out = await composeQbr({ llm, log }, facts);
    expect(out.generated_by).toBe("llm");
    expect(out.output.roi_business_impact.narrative).toMatch(/^Usage held up well/);
    expect(llm.calls).toHaveLength(1);
    expect(llm.calls[0]!.purpose).toBe("qbr_sections");
    expect(llm.calls[0]!.user).toContain(`"label":"${facts.period.label}"`);
  });

  it("a narrative with a number absent from the data gets one retry; a grounded retry is used", async () => {
    runtime = await qbrRuntime();
    const facts = await gatherQbrFacts(runtime, { account_id: HEALTHY_ID, trigger: "manual" });
    const llm = new ScriptedLlm([
      answerWith(facts, "The platform saved the team 7319 hours this quarter, a remarkable return."),
      answerWith(facts, "Time saved is not tracked, so this review reports usage and support figures only."),
    ]);
    const out = await composeQbr({ llm, log }, facts);
    expect(out.generated_by).toBe("llm");
    expect(out.output.roi_business_impact.narrative).toMatch(/^Time saved is not tracked/);
    expect(llm.calls).toHaveLength(2);
    expect(llm.calls[1]!.user).toMatch(/these numbers do not appear in the data: 7319/);
  });

  it("falls back to the template when the retry still invents a number, or the answer is malformed JSON", async () => {
    runtime = await qbrRuntime();
    const facts = await gatherQbrFacts(runtime, { account_id: HEALTHY_ID, trigger: "manual" });
    const twice = new ScriptedLlm([
      answerWith(facts, "Revenue influenced reached $4,250,000 over the quarter thanks to the rollout."),
      answerWith(facts, "Revenue influenced reached $4,100,000 over the quarter thanks to the rollout."),
    ]);
    const out = await composeQbr({ llm: twice, log }, facts);
    expect(out.generated_by).toBe("template");
    expect(out.output).toEqual(qbrTemplate(facts));
    expect(twice.calls).toHaveLength(2);

    const malformed = new ScriptedLlm([{ raw: '{"account_health_summary": {"narrative": "cut off' }]);
    const bad = await composeQbr({ llm: malformed, log }, facts);
    expect(bad.generated_by).toBe("template");
    expect(bad.fallback_reason).toMatch(/JSON/);
  });

  it("records generated_by in the run, the page and the review draft", async () => {
    const llm = new ScriptedLlm([{ raw: "not json at all" }]);
    runtime = await qbrRuntime({ adapters: { llm } });
    const run = await generateQbr(runtime, { account_id: HEALTHY_ID });
    expect(run.status).toBe("succeeded");
    expect(run.result).toMatchObject({
      generated_by: "template",
      fallback_reason: expect.stringMatching(/JSON/),
    });
    const body = (await (runtime.records as LocalRecords).getQbrBody(String(run.result!.qbr_id)))!;
    expect(toMarkdown("t", body)).toContain("written from the deterministic template");
    const draft = await runtime.store.db.selectFrom("outbox_drafts").selectAll().executeTakeFirstOrThrow();
    expect(draft.text_body).toContain("Written by: the deterministic template");
  });

  it("renders a callout, the four sections with their bullets, and the two tables; Markdown keeps them", async () => {
    runtime = await qbrRuntime();
    const facts = await gatherQbrFacts(runtime, { account_id: HEALTHY_ID, trigger: "manual" });
    const sections = qbrTemplate(facts);
    const body = renderQbr(facts, sections, { generated_by: "llm" });
    expect(body[0]!.type).toBe("callout");
    const bullets = QBR_SECTION_KEYS.reduce((n, k) => n + sections[k].bullets.length, 0);
    expect(body.filter((b) => b.type === "bulleted_list_item")).toHaveLength(bullets);
    const tables = body.filter((b) => b.type === "table");
    expect(tables).toHaveLength(2);
    expect(tables[1]).toMatchObject({
      rows: [
        ["Feature", "In use", "Peers using it"],
        ...facts.adoption.features.map(() => expect.any(Array)),
      ],
    });
    const md = toMarkdown("QBR - x - Q3 2026", body);
    expect(md).toMatch(/^# QBR - x - Q3 2026\n\n> /);
    expect(md).toContain("## ROI & Business Impact");
    expect(md).toContain("| Date | Score | RAG |\n| --- | --- | --- |\n");
    expect(md).toContain("with the language model, every figure checked against the account data");
  });
});
