import { afterEach, describe, expect, it, vi } from "vitest";
import type { GenerateRequest, GenerateResult, LlmPort } from "../../../../src/adapters/llm/port.js";
import { SIGNAL_LABELS } from "../../../../src/agents/customer-success/prompts.js";
import { ManualClock } from "../../../../src/clock.js";
import type { Runtime } from "../../../../src/runtime.js";
import { decodeHealthDetail } from "../../../../src/store/health-detail.js";
import { eventually, tempDataDir } from "../../../helpers/runtime.js";
import {
  csRuntime,
  demoBook,
  gatedChat,
  gatedMail,
  historyRows,
  NOW,
  resultOf,
  scan,
  throwingChat,
} from "../helpers.js";

describe("churn alerts over four independent channels", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
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

  it("a later scan finishes an alert whose chat failed: only the chat runs, under the first key, once", async () => {
    const dataDir = tempDataDir();
    const clock = new ManualClock(NOW);
    const env = { ALERTS_MAX_PER_SCAN: "2" };
    runtime = await csRuntime({ dataDir, clock, env, adapters: { chat: throwingChat } });
    const first = resultOf(await scan(runtime));
    const ids = first.alerts_raised.map((a) => a.account_id).sort();
    expect(ids).toHaveLength(2);
    expect(first.alerts_raised.every((a) => a.failed_channels.join() === "chat")).toBe(true);
    const states = await runtime.store.db
      .selectFrom("csm_alert_state")
      .select(["account_id", "failed_channels", "last_key", "last_alerted_at"])
      .where("account_id", "in", ids)
      .orderBy("account_id")
      .execute();
    expect(states.map((st) => st.failed_channels)).toEqual(['["chat"]', '["chat"]']);
    await runtime.close({ graceMs: 0 });

    // Slack is back; two hours later the next scan finds both accounts at the same risk.
    clock.advance(2 * 3_600_000);
    runtime = await csRuntime({ dataDir, clock, env });
    const second = resultOf(await scan(runtime));
    const retried = second.alerts_raised.filter((a) => a.retry);
    expect(retried.map((a) => a.account_id).sort()).toEqual(ids);
    for (const a of retried) {
      expect(a.channels).toEqual({ records: "ok", draft: "ok", chat: "ok", events: "ok" });
      expect(a.failed_channels).toEqual([]);
      // The draft of the first alert, not a second one.
      expect(a.draft_id).toBe(first.alerts_raised.find((f) => f.account_id === a.account_id)!.draft_id);
    }
    // The retries used the budget: no new alert besides them.
    expect(second.alerts_raised).toHaveLength(2);
    const drafts = await runtime.store.db
      .selectFrom("outbox_drafts")
      .select("account_id")
      .where("account_id", "in", ids)
      .execute();
    expect(drafts).toHaveLength(2);
    const posted = await runtime.store.db.selectFrom("alerts").select("account_id").execute();
    expect(posted.map((p) => p.account_id).sort()).toEqual(ids);
    const after = await runtime.store.db
      .selectFrom("csm_alert_state")
      .select(["account_id", "failed_channels", "last_key", "last_alerted_at"])
      .where("account_id", "in", ids)
      .orderBy("account_id")
      .execute();
    // Delivered: nothing left, and the repeat window still runs from the first alert.
    expect(after).toEqual(states.map((st) => ({ ...st, failed_channels: null })));

    // Nothing left to finish: the next scan suppresses both as repeats within the window.
    clock.advance(2 * 3_600_000);
    const third = resultOf(await scan(runtime));
    expect(third.alerts_raised.map((a) => a.account_id).filter((id) => ids.includes(id))).toEqual([]);
    expect((await runtime.store.db.selectFrom("alerts").select("account_id").execute()).length).toBe(
      posted.length + third.alerts_raised.length,
    );
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
    // Drafts are counted by a port that does not deduplicate; the second alert's chat post hangs, so the
    // crash lands mid-alert, after that alert's draft was made.
    const mail = gatedMail(Number.POSITIVE_INFINITY);
    const chat = gatedChat(1);
    runtime = await csRuntime({ dataDir, adapters: { mail: mail.port, chat: chat.port } });
    const run = await runtime.runs.dispatch({ agent_id: "customer-success", task: { type: "health_scan" } });
    await eventually(() => chat.calls.length > 1 && mail.created.length > 1);
    const t = await runtime.runs.checkpointer.getTuple({ configurable: { thread_id: run.run_id } });
    expect(JSON.stringify(t?.checkpoint.channel_values ?? {})).toContain('"persisted":true');
    const beforeCrash = await historyRows(runtime, run.run_id);
    await runtime.crash();
    chat.release();
    expect(mail.created).toHaveLength(2);

    runtime = await csRuntime({ dataDir, adapters: { mail: mail.port } });
    const done = await runtime.runs.waitFor(run.run_id, 20_000);
    expect(done.status).toBe("succeeded");
    const r = resultOf(done);
    expect(r.alerts_raised).toHaveLength(5);
    expect(r.alerts_raised.every((a) => a.failed_channels.length === 0)).toBe(true);

    // The history rows were written before the crash and not again.
    const rows = await historyRows(runtime, run.run_id);
    expect(rows).toHaveLength(r.scored);
    expect(rows.map((h) => h.id).sort()).toEqual(beforeCrash.map((h) => h.id).sort());
    expect(new Set(rows.map((h) => h.account_id)).size).toBe(rows.length);
    // One draft per alert: the interrupted alert's draft was not made a second time.
    expect(mail.calls).toHaveLength(r.alerts_raised.length);
    expect(mail.created.map((d) => d.account_id).sort()).toEqual(
      r.alerts_raised.map((a) => a.account_id).sort(),
    );
    expect(r.alerts_raised.map((a) => a.draft_id).sort()).toEqual(mail.created.map((d) => d.draft_id).sort());
    // The interrupted alert's chat post is made after the restart (to the local table), once.
    const alerts = await runtime.store.db.selectFrom("alerts").select("account_id").execute();
    expect(alerts).toHaveLength(r.alerts_raised.length - 1);
    const flagged = await runtime.bus.replay({ since: 0, types: ["churn.risk_flagged"], run_id: run.run_id });
    expect(flagged).toHaveLength(r.alerts_raised.length);
  });

  it.each([
    "records",
    "draft",
    "events",
  ] as const)("a failing %s channel never stops the other three; the result names it", async (failing) => {
    runtime = await csRuntime({ env: { ALERTS_MAX_PER_SCAN: "2" } });
    const rt = runtime;
    if (failing === "records") {
      // The scan's own write already happened; the alert's records check is what fails here.
      vi.spyOn(rt.records, "getAccount").mockRejectedValue(new Error("records store is down"));
    }
    if (failing === "draft") vi.spyOn(rt.mail, "createDraft").mockRejectedValue(new Error("gmail is down"));
    if (failing === "events") {
      const publish = rt.bus.publish.bind(rt.bus);
      vi.spyOn(rt.bus, "publish").mockImplementation((type, input) =>
        type === "churn.risk_flagged" ? Promise.reject(new Error("event log is full")) : publish(type, input),
      );
    }
    const run = await scan(rt);
    expect(run.status).toBe("succeeded");
    const r = resultOf(run);
    expect(r.alerts_raised).toHaveLength(2);
    for (const a of r.alerts_raised) {
      expect(a.failed_channels).toEqual([failing]);
      expect(Object.entries(a.channels).filter(([, status]) => status !== "ok")).toEqual([
        [failing, "failed"],
      ]);
    }
    const ids = r.alerts_raised.map((a) => a.account_id).sort();
    const drafts = await rt.store.db.selectFrom("outbox_drafts").select("account_id").execute();
    expect(drafts.map((d) => d.account_id).sort()).toEqual(failing === "draft" ? [] : ids);
    const alerts = await rt.store.db.selectFrom("alerts").select("account_id").execute();
    expect(alerts.map((a) => a.account_id).sort()).toEqual(ids);
    const flagged = await rt.bus.replay({ since: 0, types: ["churn.risk_flagged"], run_id: run.run_id });
    expect(flagged).toHaveLength(failing === "events" ? 0 : 2);
    expect(r.confidence).toBe("medium");
  });

  it("posts a chat alert with score, RAG, churn risk, ARR, renewal date, the narrative and the drivers", async () => {
    runtime = await csRuntime({ env: { ALERTS_MAX_PER_SCAN: "1" } });
    const run = await scan(runtime);
    const r = resultOf(run);
    const [raised] = r.alerts_raised;
    const account = demoBook.accounts.find((a) => a.id === raised!.account_id)!;
    const row = await runtime.store.db
      .selectFrom("alerts")
      .selectAll()
      .where("account_id", "=", account.id)
      .executeTakeFirstOrThrow();
    const history = await historyRows(runtime, run.run_id);
    const detail = decodeHealthDetail(history.find((h) => h.account_id === account.id)!.detail)!;
    const score = r.health_scores.find((h) => h.account_id === account.id)!;
    expect(row.title).toBe(
      `${account.name}: ${score.rag} health (${score.score}), churn risk ${score.churn_risk}`,
    );
    expect(row.severity).toBe(
      score.rag === "RED" || score.churn_risk === "critical" ? "critical" : "warning",
    );
    expect(row.text).toContain(account.name);
    const fields = Object.fromEntries(
      (JSON.parse(row.blocks!) as Array<{ label: string; value: string }>).map((f) => [f.label, f.value]),
    );
    expect(fields).toMatchObject({
      Score: String(score.score),
      RAG: score.rag,
      "Churn risk": score.churn_risk,
      ARR: `$${account.arr!.toLocaleString("en-US")}`,
      "Renewal date": account.renewal_date,
    });
    expect(detail.top_drivers.length).toBeGreaterThan(0);
    expect(fields["Top drivers"]).toContain(
      SIGNAL_LABELS[detail.top_drivers[0] as keyof typeof SIGNAL_LABELS],
    );
    // The draft to the CSM owner says the same, with the recommended actions.
    const draft = await runtime.store.db
      .selectFrom("outbox_drafts")
      .selectAll()
      .where("account_id", "=", account.id)
      .executeTakeFirstOrThrow();
    expect(draft.to_addr).toBe(account.csm_owner);
    expect(draft.subject).toBe(`[CSM ALERT] ${row.title}`);
    expect(draft.text_body.startsWith(row.text)).toBe(true);
  });
});
