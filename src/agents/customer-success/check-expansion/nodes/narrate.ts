/**
 * The narrate node: each account's candidates through the llm port, most valuable accounts first: talk tracks (number-grounded), the model's deliberate
 * drops, and what it proposed without evidence (dropped and counted). A candidate the model neither
 * kept nor dropped keeps the template's talk track: only an explicit drop with a reason removes one.
 */
import type { ExpansionCandidate } from "../../../../domain/expansion.js";
import type { Account } from "../../../../domain/types.js";
import { errorMessage } from "../../../../errors.js";
import { fromScratch } from "../../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../../deps.js";
import { numberGroundingValidator } from "../../../shared/narrative.js";
import {
  TALK_TRACK_SYSTEM_PROMPT,
  TalkTrackSchema,
  type TalkTracks,
  talkTrackFacts,
  talkTrackTemplate,
  talkTrackUserPrompt,
  templateTalkTrack,
} from "../prompts.js";
import type { Narration } from "../store.js";
import * as store from "../store.js";
import type { CheckExpansionNode } from "../task.js";

const NARRATE_BATCH = 50;

export async function narrateCandidates(
  deps: Pick<AgentDeps, "llm" | "log">,
  account: Account,
  candidates: ExpansionCandidate[],
): Promise<Narration> {
  const facts = talkTrackFacts(account, candidates);
  const known = new Set(candidates.map((c) => c.opportunity_type as string));
  const template = () => talkTrackTemplate(facts);
  let generated: { output: TalkTracks; generated_by: "llm" | "template"; fallback_reason?: string };
  try {
    generated = await deps.llm.generate({
      purpose: "expansion_talk_track",
      system: TALK_TRACK_SYSTEM_PROMPT,
      user: talkTrackUserPrompt(facts),
      schema: TalkTrackSchema,
      template,
      // Only the talk tracks of real candidates are kept, so only theirs must be grounded.
      validate: numberGroundingValidator<TalkTracks>(facts, (o) =>
        o.opportunities.filter((x) => known.has(x.candidate_id)).map((x) => x.talk_track),
      ),
    });
  } catch (err) {
    deps.log.warn({ err, account_id: account.id }, "talk track generation failed; using the template");
    generated = { output: template(), generated_by: "template", fallback_reason: errorMessage(err) };
  }

  const { output } = generated;
  const unsupported = output.opportunities.filter((o) => !known.has(o.candidate_id));
  const dropped = new Map<string, string>();
  for (const d of output.dropped)
    if (known.has(d.candidate_id) && !dropped.has(d.candidate_id)) dropped.set(d.candidate_id, d.reason);
  const tracks = new Map<string, string>();
  for (const o of output.opportunities)
    if (known.has(o.candidate_id) && !tracks.has(o.candidate_id)) tracks.set(o.candidate_id, o.talk_track);

  const kept: Narration["kept"] = [];
  const drops: Narration["dropped"] = [];
  for (const c of candidates) {
    const reason = dropped.get(c.opportunity_type);
    // Keeping and dropping the same candidate is a contradiction; the drop (the cautious reading) wins.
    if (reason !== undefined)
      drops.push({ opportunity_type: c.opportunity_type, reason: `dropped by the model: ${reason}` });
    else
      kept.push({
        opportunity_type: c.opportunity_type,
        talk_track: tracks.get(c.opportunity_type) ?? templateTalkTrack(account.name, c),
      });
  }
  return {
    account_id: account.id,
    generated_by: generated.generated_by,
    fallback_reason: generated.fallback_reason ?? null,
    kept,
    dropped: drops,
    unsupported,
  };
}

export const narrate =
  (deps: AgentDeps): CheckExpansionNode =>
  async (ctx) => {
    const scanAt = fromScratch(ctx.scratch, "scan_at");
    let done = 0;
    for (;;) {
      const accountIds = await store.accountsToNarrate(deps.store.db, ctx.run_id, NARRATE_BATCH);
      if (accountIds.length === 0) break;
      for (const accountId of accountIds) {
        const rows = await store.candidatesOf(deps.store.db, ctx.run_id, accountId, "candidate");
        const account = await deps.records.getAccount(accountId);
        if (!account) {
          // Deleted since detection: nothing to offer; dropping keeps the scan going.
          await store.saveNarration(deps.store.db, ctx.run_id, scanAt, {
            account_id: accountId,
            generated_by: "template",
            fallback_reason: null,
            kept: [],
            dropped: rows.map((r) => ({
              opportunity_type: r.opportunity_type,
              reason: "account no longer in the records",
            })),
            unsupported: [],
          });
          continue;
        }
        const narration = await narrateCandidates(deps, account, rows.map(store.candidateOf));
        await store.saveNarration(deps.store.db, ctx.run_id, scanAt, narration);
        done++;
        ctx.progress({ phase: "narrate", done, total: done });
      }
    }
    return {};
  };
