import { afterEach, describe, expect, it } from "vitest";
import type { GenerateRequest, GenerateResult, LlmPort } from "../../../src/adapters/llm/port.js";
import type { Runtime } from "../../../src/runtime.js";
import { eventually, tempDataDir } from "../../helpers/runtime.js";
import { blockingMail, csRuntime, historyRows, resultOf, scan, throwingChat } from "./helpers.js";

describe("churn alerts over four independent channels", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  it("a chat adapter that throws still leaves the draft, the events and the records update; the result shows chat failed", async () => {
    runtime = await csRuntime({ adapters: { chat: throwingChat } });
    const run = await scan(runtime);
    expect(run.status).toBe("succeeded");
    const r = resultOf(run);
    expect(r.alerts_raised.length).toBeGreaterThan(0);
    for (const a of r.alerts_raised) {
      expect(a.channels).toEqual({ records: "ok", draft: "ok", chat: "failed", events: "ok" });
      expect(a.failed_channels).toEqual(["chat"]);
      expect(a.errors?.chat).toBe("slack is down");
      const draft = await runtime.store.db
        .selectFrom("outbox_drafts")
        .selectAll()
        .where("id", "=", a.draft_id!)
        .executeTakeFirstOrThrow();
      expect(draft.subject).toMatch(
        /^\[CSM ALERT\] .+: (RED|AMBER|GREEN) health \(\d+(\.\d)?\), churn risk \w+$/,
      );
      expect(draft.text_body).toContain("Top drivers:");
      expect(draft.text_body).toContain("Recommended actions:");
      const account = (await runtime.records.getAccount(a.account_id))!;
      expect(account.churn_risk).toBe(a.churn_risk);
      const events = await runtime.bus.replay({ since: 0, account_id: a.account_id, run_id: run.run_id });
      const types = events.map((e) => e.type);
      expect(types).toContain("churn.risk_flagged");
      expect(types).toContain("draft.created");
      const raised = events.find((e) => e.type === "alert.raised")!;
      expect(raised.payload).toMatchObject({ channels: { chat: "failed", draft: "ok", records: "ok" } });
    }
    expect(r.confidence).toBe("medium");
  });

  it("narrates with the llm port's structured output when it is grounded, and says which one wrote it", async () => {
    const seen: Array<GenerateRequest<unknown>> = [];
    // A model-like port: answers with a narrative citing the score; with an invented figure when asked.
    const llm: LlmPort = {
      kind: "openai",
      async generate<T>(req: GenerateRequest<T>): Promise<GenerateResult<T>> {
        seen.push(req as GenerateRequest<unknown>);
        const facts = JSON.parse(req.user.slice(req.user.indexOf("{"))) as { health: { score: number } };
        const invented = {
          risk_narrative: "Usage fell 37.25% this quarter.",
          recommended_actions: ["Call them"],
        };
        const grounded = {
          risk_narrative: `The score of ${facts.health.score} is driven by weak usage.`,
          recommended_actions: ["Call the champion this week"],
        };
        // The port's contract: a failing answer gets one retry, then the template.
        for (const answer of seen.length % 2 === 1 ? [invented, invented] : [grounded]) {
          const out = req.schema.parse(answer);
          if (!req.validate || req.validate(out) === null) return { output: out, generated_by: "llm" };
        }
        return {
          output: req.schema.parse(req.template()),
          generated_by: "template",
          fallback_reason: "ungrounded",
        };
      },
      async ping() {
        return { ok: true, detail: "fake" };
      },
    };
    runtime = await csRuntime({ adapters: { llm }, env: { ALERTS_MAX_PER_SCAN: "2" } });
    const r = resultOf(await scan(runtime));
    const by = (r.alerts_raised as unknown as Array<{ narrative_generated_by: string }>).map(
      (a) => a.narrative_generated_by,
    );
    expect(by.sort()).toEqual(["llm", "template"]);
    expect(
      seen[0]!.validate!({
        risk_narrative: "Usage fell 37.25% this quarter.",
        recommended_actions: ["x"],
      } as never),
    ).toMatch(/37\.25%/);
    const drafts = await runtime.store.db.selectFrom("outbox_drafts").select("text_body").execute();
    expect(drafts.some((d) => d.text_body.includes("is driven by weak usage"))).toBe(true);
    expect(drafts.some((d) => d.text_body.includes("37.25"))).toBe(false);
  });

  it("killed after persistScores and restarted: alerts complete, one history row per account, no duplicate draft", async () => {
    const dataDir = tempDataDir();
    const mail = blockingMail();
    runtime = await csRuntime({ dataDir, adapters: { mail: mail.port } });
    const run = await runtime.runs.dispatch({ agent_id: "customer-success", task: { type: "health_scan" } });
    await eventually(() => mail.calls.length > 0);
    await eventually(async () => {
      const t = await runtime!.runs.checkpointer.getTuple({ configurable: { thread_id: run.run_id } });
      return JSON.stringify(t?.checkpoint.channel_values ?? {}).includes('"persisted":true');
    });
    await runtime.crash();
    mail.release();

    runtime = await csRuntime({ dataDir });
    const done = await runtime.runs.waitFor(run.run_id, 20_000);
    expect(done.status).toBe("succeeded");
    const r = resultOf(done);
    expect(r.alerts_raised.length).toBeGreaterThan(0);
    expect(r.alerts_raised.every((a) => a.failed_channels.length === 0)).toBe(true);

    const rows = await historyRows(runtime, run.run_id);
    expect(rows).toHaveLength(r.scored);
    expect(new Set(rows.map((h) => h.account_id)).size).toBe(rows.length);
    const drafts = await runtime.store.db.selectFrom("outbox_drafts").select(["account_id"]).execute();
    expect(drafts).toHaveLength(r.alerts_raised.length);
    expect(new Set(drafts.map((d) => d.account_id)).size).toBe(drafts.length);
    const alerts = await runtime.store.db.selectFrom("alerts").select("account_id").execute();
    expect(alerts).toHaveLength(r.alerts_raised.length);
    const flagged = await runtime.bus.replay({ since: 0, types: ["churn.risk_flagged"], run_id: run.run_id });
    expect(flagged).toHaveLength(r.alerts_raised.length);
  });
});
