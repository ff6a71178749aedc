/** TAM `escalation_outreach` {account_id}: the escalation's outreach on demand, as a draft to the owner. */
import { afterEach, describe, expect, it } from "vitest";
import type { Runtime } from "../../../../src/runtime.js";
import { OpenAiEmulator } from "../../../emulators/openai.js";
import { auth, makeApp } from "../../../helpers/runtime.js";
import {
  drafts,
  eventsOf,
  hoursBeforeNow,
  loadRecords,
  makeAccount,
  makeTicket,
} from "../../expansion/fixtures.js";
import { amberTickets, tamRuntime } from "../helpers.js";

const outreachTask = (account_id: string) => ({ type: "escalation_outreach", account_id });

describe("TAM escalation_outreach", () => {
  let runtime: Runtime | undefined;
  let openai: OpenAiEmulator | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
    await openai?.close();
    openai = undefined;
  });

  it("scores the account now, has the model write the outreach and drafts it to the owner; the account is not written", async () => {
    openai = await OpenAiEmulator.start();
    runtime = await tamRuntime({
      env: { OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.baseUrl, OPENAI_MAX_RETRIES: "0" },
    });
    await loadRecords(
      runtime,
      [
        makeAccount({
          id: "acc_1",
          name: "Globex",
          health_score: 100,
          health_status: "Green",
          last_heartbeat: hoursBeforeNow(100),
        }),
      ],
      [...amberTickets("acc_1"), makeTicket("acc_1", "P4", 3)],
    );
    openai.reply({
      content: JSON.stringify({
        subject: "Globex: two P1/P2 tickets and a quiet integration",
        body: "Hello,\n\nTwo tickets have waited 120 h and your integration has been silent for 100 h. Shall we review them together?",
        key_issues: ["2 aged P1/P2 tickets", "No heartbeat for 100 h"],
      }),
    });
    const run = await runtime.runs.dispatchAndWait({ agent_id: "tam", task: outreachTask("acc_1") });
    expect(run.status).toBe("succeeded");
    // 100 - 2 x 20 (aged P1/P2) - 15 (heartbeat over 72 h) = 45.
    expect(run.result).toMatchObject({
      account_id: "acc_1",
      score: 45,
      status: "Amber",
      subject: "Globex: two P1/P2 tickets and a quiet integration",
      key_issues: ["2 aged P1/P2 tickets", "No heartbeat for 100 h"],
      generated_by: "llm",
      draft: { to: "maya.chen@example.com", created: true },
    });
    const [draft] = await drafts(runtime);
    expect(draft).toMatchObject({
      to_addr: "maya.chen@example.com",
      kind: "tam_outreach",
      subject: "Globex: two P1/P2 tickets and a quiet integration",
      account_id: "acc_1",
      run_id: run.run_id,
    });
    expect(draft!.text_body).toContain("technical health of Globex is 45 (Amber, was Green)");
    expect(draft!.text_body).toContain("- No heartbeat for 100 h");
    expect(draft!.text_body).toContain("Two tickets have waited 120 h");
    expect((run.result!.draft as { draft_id: string }).draft_id).toBe(draft!.id);
    // On demand, nothing is written to the account and nothing escalates.
    expect(await runtime.records.getAccount("acc_1")).toMatchObject({
      health_score: 100,
      health_status: "Green",
    });
    expect(await eventsOf(runtime, "tam.escalation_raised")).toHaveLength(0);
    expect((await eventsOf(runtime, "draft.created")).map((e) => e.payload)).toEqual([
      {
        draft_id: draft!.id,
        to: "maya.chen@example.com",
        subject: "Globex: two P1/P2 tickets and a quiet integration",
        kind: "tam_outreach",
      },
    ]);

    // Asked again the same day with the same health: the same draft, no second one.
    openai.reply({ content: JSON.stringify({ subject: "Globex again", body: "Hello", key_issues: ["x"] }) });
    const again = await runtime.runs.dispatchAndWait({ agent_id: "tam", task: outreachTask("acc_1") });
    expect(again.result).toMatchObject({ draft: { draft_id: draft!.id, created: false } });
    expect(await drafts(runtime)).toHaveLength(1);
    expect(await eventsOf(runtime, "draft.created")).toHaveLength(1);
  });

  it("falls back to the template without a model, and without an owner says why no draft was made", async () => {
    runtime = await tamRuntime();
    await loadRecords(
      runtime,
      [
        makeAccount({ id: "acc_1", name: "Initech" }),
        makeAccount({ id: "acc_2", name: "Hooli", csm_owner: null }),
      ],
      [...amberTickets("acc_1"), ...amberTickets("acc_2")],
    );
    const one = await runtime.runs.dispatchAndWait({ agent_id: "tam", task: outreachTask("acc_1") });
    expect(one.result).toMatchObject({
      generated_by: "template",
      subject: "Initech: technical review of open issues",
      draft: { to: "maya.chen@example.com", created: true },
    });
    const keyIssues = one.result!.key_issues as string[];
    expect(keyIssues).toEqual([
      expect.stringMatching(/^P1 "P1 issue \d+" open for 120 h$/),
      expect.stringMatching(/^P2 "P2 issue \d+" open for 120 h$/),
      "2 open support tickets in total",
    ]);
    expect(String(one.result!.body)).toContain(keyIssues[0]!);

    const noOwner = await runtime.runs.dispatchAndWait({ agent_id: "tam", task: outreachTask("acc_2") });
    expect(noOwner.status).toBe("succeeded");
    expect(noOwner.result).toMatchObject({
      subject: "Hooli: technical review of open issues",
      draft: { skipped: "the account has no CSM Owner" },
    });
    expect(await drafts(runtime)).toHaveLength(1);

    const unknown = await runtime.runs.dispatchAndWait({ agent_id: "tam", task: outreachTask("acc_nope") });
    expect(unknown.status).toBe("failed");
    expect(unknown.error).toContain("acc_nope not found");
  });

  it("is a task of the TAM over HTTP: the result with ?wait=true, a 400 naming a missing field", async () => {
    runtime = await tamRuntime();
    await loadRecords(runtime, [makeAccount({ id: "acc_1" })], amberTickets("acc_1"));
    const app = await makeApp(runtime);
    try {
      const ok = await app.inject({
        method: "POST",
        url: "/v1/agents/tam/tasks?wait=true",
        headers: auth(),
        payload: outreachTask("acc_1"),
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({
        agent_id: "tam",
        task_type: "escalation_outreach",
        status: "succeeded",
        result: { score: 60, status: "Amber" },
      });
      const bad = await app.inject({
        method: "POST",
        url: "/v1/agents/tam/tasks",
        headers: auth(),
        payload: { type: "escalation_outreach" },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toContain("body.account_id");
    } finally {
      await app.close();
    }
  });
});
