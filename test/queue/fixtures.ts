/** A small hand-made book for the queue tests: each account trips exactly the rule its name says. */
import type { FastifyInstance } from "fastify";
import type { LocalRecords } from "../../src/adapters/records/local.js";
import { ManualClock } from "../../src/clock.js";
import type { Account } from "../../src/domain/types.js";
import type { Runtime } from "../../src/runtime.js";
import { makeApp, makeRuntime } from "../helpers/runtime.js";
import { account, DAVID, NOW } from "./accounts.js";

export { account, DAVID, MAYA, NOW } from "./accounts.js";

/** Maya's book: one account per rule, plus a quiet one; and one account of David's. */
export function book(): Account[] {
  return [
    account("acc_stall", {
      status: "Onboarding",
      signup_date: "2026-02-01",
      onboarding_steps_done: ["kickoff"],
      onboarding_last_step_at: "2026-03-05T10:00:00.000Z",
    }),
    account("acc_day30", {
      status: "Onboarding",
      signup_date: "2026-02-16",
      onboarding_steps_done: ["kickoff", "sso_configured"],
      onboarding_last_step_at: "2026-03-16T10:00:00.000Z",
    }),
    account("acc_risk", { churn_risk: "high", csm_health_score: 35, csm_health_rag: "RED" }),
    account("acc_renew", { renewal_date: "2026-04-10", arr: 48_000 }),
    account("acc_nps", { nps: 4, nps_date: "2026-03-08" }),
    account("acc_drop", { csm_health_score: 52, csm_health_rag: "AMBER", churn_risk: "medium" }),
    account("acc_quiet"),
    account("acc_david", { csm_owner: DAVID, churn_risk: "critical" }),
  ];
}

export interface QueueHarness {
  runtime: Runtime;
  app: FastifyInstance;
  clock: ManualClock;
  close(): Promise<void>;
}

/** A started runtime on the hand-made book (no agents, no demo book) and its app. */
export async function harness(accounts: Account[] = book()): Promise<QueueHarness> {
  const clock = new ManualClock(NOW);
  const runtime = await makeRuntime({ agents: [], clock, start: false });
  await (runtime.records as LocalRecords).loadBook(accounts, []);
  // A 15-point drop within the last two weeks for acc_drop.
  await runtime.store.db
    .insertInto("health_history")
    .values([
      {
        account_id: "acc_drop",
        at: "2026-03-08T07:00:00.000Z",
        score: 67,
        rag: "GREEN",
        run_id: null,
        detail: null,
      },
      {
        account_id: "acc_drop",
        at: "2026-03-18T07:00:00.000Z",
        score: 52,
        rag: "AMBER",
        run_id: null,
        detail: null,
      },
    ])
    .execute();
  await runtime.start();
  const app = await makeApp(runtime);
  return {
    runtime,
    app,
    clock,
    async close() {
      await app.close();
      await runtime.close({ graceMs: 0 });
    },
  };
}
