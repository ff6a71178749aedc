/** What the Sales tests share: an opportunity task, a runtime, a seeded Expansion Opportunities record. */

import { ManualClock } from "../../../src/clock.js";
import type { RunRecord } from "../../../src/graphs/run-manager.js";
import type { Runtime } from "../../../src/runtime.js";
import { makeRuntime } from "../../helpers/runtime.js";
import { NOW } from "../expansion/fixtures.js";

export const finished = (r: RunRecord | null) =>
  r && ["succeeded", "partial", "failed"].includes(r.status) ? r : null;

export const opportunityTask = (over: Record<string, unknown> = {}) => ({
  type: "handle_expansion_opportunity",
  account_id: "acc_1",
  opportunity_type: "seats",
  evidence: { seats_used: 98, seats_purchased: 100, utilization: 0.98 },
  estimated_arr_impact: 12_000,
  recommended_talk_track: "Ask how the team has grown, then propose more seats.",
  confidence: 0.75,
  ...over,
});

export async function salesRuntime(env: Record<string, string> = {}, dataDir?: string): Promise<Runtime> {
  return makeRuntime({ clock: new ManualClock(NOW), env, ...(dataDir ? { dataDir } : {}) });
}

export async function seedOpportunity(runtime: Runtime, accountId = "acc_1") {
  return runtime.records.createExpansionOpportunity(
    {
      account_id: accountId,
      name: "seats",
      type: "seats",
      estimated_arr_impact: 12_000,
      confidence: 0.75,
      evidence: "98 of 100 seats",
      talk_track: "Ask about growth.",
    },
    { idempotencyKey: `test-opp:${accountId}` },
  );
}
