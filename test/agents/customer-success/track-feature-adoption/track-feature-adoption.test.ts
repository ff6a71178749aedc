import { afterEach, describe, expect, it } from "vitest";
import { assessAccountAdoption } from "../../../../src/agents/customer-success/adoption/assess.js";
import {
  type AdoptionAdvice,
  AdoptionAdviceSchema,
  adoptionFacts,
  adoptionTemplate,
  recommendAdoption,
} from "../../../../src/agents/customer-success/track-feature-adoption/advice.js";
import { numberGroundingValidator } from "../../../../src/agents/shared/narrative.js";
import { median } from "../../../../src/domain/adoption.js";
import { createLogger } from "../../../../src/logger.js";
import type { Runtime } from "../../../../src/runtime.js";
import { demoBook, qbrRuntime, ScriptedLlm } from "../../qbr/helpers.js";

const log = createLogger("silent");

type Underused = Array<{ feature: string; peer_share: number; impact: number; rank: number }>;

/** A demo account with underused features and a CSM owner: what the draft is about. */
async function accountWithGaps(runtime: Runtime) {
  for (const a of demoBook.accounts) {
    if (a.status !== "Active" || a.csm_owner === null) continue;
    const assessment = await assessAccountAdoption(runtime, a);
    if (assessment.underused.length >= 2) return { account: a, assessment };
  }
  throw new Error("no demo account with underused features");
}

const track = (runtime: Runtime, account_id: string) =>
  runtime.runs.dispatchAndWait(
    { agent_id: "customer-success", task: { type: "track_feature_adoption", account_id } },
    20_000,
  );

describe("track_feature_adoption", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  it("benchmarks against the median of same-tier accounts and puts the numbers in the result", async () => {
    runtime = await qbrRuntime();
    const { account } = await accountWithGaps(runtime);
    const run = await track(runtime, account.id);
    expect(run.status, JSON.stringify(run.result)).toBe("succeeded");
    const r = run.result as Record<string, unknown> & { underused: Underused; cohort: { accounts: number } };
    const peers = demoBook.accounts.filter(
      (a) =>
        a.tier === account.tier && a.id !== account.id && a.status !== "Churned" && a.status !== "Inactive",
    );
    expect(r).toMatchObject({
      task_type: "track_feature_adoption",
      account_id: account.id,
      tier: account.tier,
      adoption: account.feature_adoption,
      benchmark_source: "tier_median",
      cohort: { scope: "tier", accounts: peers.length },
      features_used: account.features_used.length,
      generated_by: "template",
    });
    expect(r.benchmark).toBeCloseTo(median(peers.map((p) => p.feature_adoption!))!, 3);
    expect(r.features_total).toBeGreaterThanOrEqual(account.features_used.length);
    // Ranked by impact, and none of them is in use.
    const impacts = r.underused.map((u) => u.impact);
    expect(impacts).toEqual([...impacts].sort((a, b) => b - a));
    for (const u of r.underused) expect(account.features_used).not.toContain(u.feature);
    expect(r.underused.map((u) => u.rank)).toEqual(r.underused.map((_, i) => i + 1));
    expect((r.recommendations as unknown[]).length).toBe(Math.min(5, r.underused.length));
  });

  it("drafts the top five for the CSM owner and publishes adoption.tracked, once per day", async () => {
    runtime = await qbrRuntime();
    const { account, assessment } = await accountWithGaps(runtime);
    const run = await track(runtime, account.id);
    const top = assessment.underused.slice(0, 5).map((u) => u.feature);
    const drafts = await runtime.store.db
      .selectFrom("outbox_drafts")
      .selectAll()
      .where("kind", "=", "adoption")
      .execute();
    expect(drafts).toHaveLength(1);
    expect(drafts[0]).toMatchObject({
      id: run.result!.draft_id,
      to_addr: account.csm_owner,
      subject: `Feature adoption: ${account.name} — top ${top.length} underused features`,
    });
    for (const [i, f] of top.entries())
      expect(drafts[0]!.text_body).toContain(`${i + 1}. ${f.replaceAll("_", " ")}: used by`);
    const events = await runtime.bus.replay({ run_id: run.run_id, types: ["adoption.tracked"] });
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toEqual({ adoption: account.feature_adoption, underused: top });

    const again = await track(runtime, account.id);
    expect(again.result!.draft_id).toBe(run.result!.draft_id);
    expect(
      await runtime.store.db.selectFrom("outbox_drafts").selectAll().where("kind", "=", "adoption").execute(),
    ).toHaveLength(1);
    expect(await runtime.bus.replay({ types: ["adoption.tracked"] })).toHaveLength(2);
  });

  it("uses a configured benchmark, per tier or for all", async () => {
    runtime = await qbrRuntime({
      env: { ADOPTION_BENCHMARK: "vip=0.9,standard=0.35,high_value=0.5,low_value=0.2" },
    });
    const { account } = await accountWithGaps(runtime);
    const run = await track(runtime, account.id);
    const expected = { vip: 0.9, standard: 0.35, high_value: 0.5, low_value: 0.2 }[account.tier];
    expect(run.result).toMatchObject({ benchmark: expected, benchmark_source: "configured" });
  });

  it("skips the draft, saying why, when nothing is underused; ends partial for an unknown account", async () => {
    runtime = await qbrRuntime();
    let full: string | null = null;
    for (const a of demoBook.accounts) {
      if (a.status === "Active" && (await assessAccountAdoption(runtime, a)).underused.length === 0) {
        full = a.id;
        break;
      }
    }
    expect(full).not.toBeNull();
    const run = await track(runtime, full!);
    expect(run.status).toBe("succeeded");
    expect(run.result).toMatchObject({
      draft_id: null,
      draft_skipped: "no underused features to recommend",
      underused: [],
    });
    const missing = await track(runtime, "acc_missing");
    expect(missing.status).toBe("partial");
    expect(missing.result).toMatchObject({ error: "account acc_missing not found", partial: true });
  });

  it("takes the model's recommendations when they cover the features and are grounded; retries, then the template", async () => {
    runtime = await qbrRuntime();
    const { account, assessment } = await accountWithGaps(runtime);
    const facts = adoptionFacts({ id: account.id, name: account.name, tier: account.tier }, assessment);
    const good: AdoptionAdvice = {
      summary: `${account.name} trails its peers on a few widely used features.`,
      recommendations: facts.top_underused.map((u) => ({
        feature: u.feature,
        recommendation: `Pilot ${u.feature} with one team.`,
      })),
    };
    const ok = await recommendAdoption({ llm: new ScriptedLlm([good]), log }, facts);
    expect(ok).toMatchObject({ generated_by: "llm", output: good });

    const partial: AdoptionAdvice = { ...good, recommendations: good.recommendations.slice(1) };
    const retried = new ScriptedLlm([partial, good]);
    expect((await recommendAdoption({ llm: retried, log }, facts)).generated_by).toBe("llm");
    expect(retried.calls[1]!.user).toMatch(/recommendations are missing for/);

    const invented: AdoptionAdvice = {
      ...good,
      summary: "Adoption rose 4321 points, far ahead of every peer.",
    };
    const fallback = await recommendAdoption({ llm: new ScriptedLlm([invented, invented]), log }, facts);
    expect(fallback.generated_by).toBe("template");
    expect(fallback.output).toEqual(adoptionTemplate(facts));
  });

  it("the template is schema-valid and grounded for every demo account", async () => {
    runtime = await qbrRuntime();
    for (const a of demoBook.accounts) {
      const facts = adoptionFacts(
        { id: a.id, name: a.name, tier: a.tier },
        await assessAccountAdoption(runtime, a),
      );
      const advice = AdoptionAdviceSchema.parse(adoptionTemplate(facts));
      const check = numberGroundingValidator<AdoptionAdvice>(facts, (o) => [
        o.summary,
        ...o.recommendations.map((r) => r.recommendation),
      ]);
      expect(check(advice), a.id).toBeNull();
    }
  });
});
