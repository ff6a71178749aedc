/**
 * `check_expansion` `{account_id?}` (issue 6, item 3; seed 002 `_handle_check_expansion`): deterministic
 * detectors propose evidence-backed candidates (seats, module, integration); the llm port writes the talk
 * tracks and may drop a candidate, never add one. Each opportunity gets an Expansion Opportunities record
 * (Status New) and `expansion.identified`; the most valuable ones (at most EXPANSION_HANDOFFS_MAX_PER_SCAN)
 * go to Sales as a durable `handoff.requested`; none while an open opportunity of the same type exists,
 * except one an earlier scan recorded but never handed off (over the limit), which competes again.
 * Each CSM owner gets a summary draft. Nodes: detect -> narrate -> record -> hand_off -> summarize.
 */
import { z } from "zod";
import type { ExpansionRecord } from "../../../adapters/records/port.js";
import { addDays } from "../../../domain/calendar.js";
import {
  detectExpansion,
  type ExpansionCandidate,
  expansionIneligibility,
  expansionRank,
  openOpportunityTypes,
} from "../../../domain/expansion.js";
import type { Account } from "../../../domain/types.js";
import { errorMessage } from "../../../errors.js";
import { type NodeFn, type TaskInput, TaskRejected } from "../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../deps.js";
import { productCatalogue } from "../../shared/catalogue.js";
import { handoffPublished, requestHandoff } from "../../shared/handoff.js";
import { csmOwnerRecipient } from "../../shared/recipients.js";
import { AGENT_ID } from "../agent-id.js";
import { narrateCandidates } from "../expansion/narrate.js";
import * as store from "../expansion/scan-store.js";
import { type SummaryItem, summarySubject, summaryText } from "../expansion/summary.js";
import type { CsTaskHandler } from "./types.js";

export const CheckExpansionTaskSchema = z.strictObject({
  type: z.literal("check_expansion"),
  account_id: z.string().min(1).max(200).optional(),
});
export type CheckExpansionTask = z.infer<typeof CheckExpansionTaskSchema> & TaskInput;

/** Sales' task type for an expansion hand-off (named by the receiver; CS only addresses it). */
export const SALES_AGENT = "sales";
export const SALES_TASK = "handle_expansion_opportunity";

const PAGE = 500;
const NARRATE_BATCH = 50;

const scanAtOf = (scratch: Record<string, unknown>): string => {
  const at = scratch.scan_at;
  if (typeof at !== "string") throw new Error("scan_at missing from the scan's state");
  return at;
};

/** The record's Evidence text: the figures in words, then each figure by name. */
export function evidenceText(c: ExpansionCandidate): string {
  const figures = Object.entries(c.evidence)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("+") : v}`);
  return `${c.evidence_summary}. Figures: ${figures.join(", ")}`;
}

/**
 * An open opportunity an earlier scan recorded but did not hand to Sales (over the per-scan limit): it
 * competes for this scan's hand-offs, with today's evidence, instead of blocking its type for good. A
 * same-day re-run carries nothing, so running a scan again creates nothing new.
 */
async function carriedOver(
  deps: AgentDeps,
  open: ExpansionRecord,
  scanAt: string,
): Promise<store.CarriedOpportunity | null> {
  if (open.status !== "New" || open.created_at.slice(0, 10) >= scanAt.slice(0, 10)) return null;
  if (await handoffPublished(deps, handoffKey(open.id))) return null;
  return {
    opportunity_id: open.id,
    talk_track: open.talk_track,
    reason: `${store.CARRIED_OVER} recorded on ${open.created_at.slice(0, 10)}, not yet handed to Sales`,
  };
}

/** The idempotency key of an opportunity's hand-off to Sales: one hand-off per opportunity, ever. */
const handoffKey = (opportunityId: string): string => `expansion:${opportunityId}`;

async function* accountPages(deps: AgentDeps, task: CheckExpansionTask): AsyncIterable<Account[]> {
  if (task.account_id) {
    const account = await deps.records.getAccount(task.account_id);
    if (!account) throw new TaskRejected(`account ${task.account_id} not found`);
    yield [account];
    return;
  }
  yield* deps.records.iterateAccounts({ status: ["Active"], pageSize: PAGE });
}

const detect =
  (deps: AgentDeps): NodeFn<CheckExpansionTask> =>
  async (ctx) => {
    const now = deps.clock.now();
    // A re-run of this node (after a crash) keeps the instant its first run recorded.
    const earlier = await deps.store.db
      .selectFrom("expansion_scan_candidates")
      .select("scan_at")
      .where("run_id", "=", ctx.run_id)
      .executeTakeFirst();
    const scanAt = earlier?.scan_at ?? now.toISOString();
    await store.deleteScansBefore(
      deps.store.db,
      addDays(now, -store.EXPANSION_SCAN_RETENTION_DAYS).toISOString(),
    );
    const catalogue = productCatalogue(deps.config);
    const at = new Date(scanAt);
    let scanned = 0;
    let skipped: string | null = null;
    for await (const page of accountPages(deps, ctx.task)) {
      if (ctx.task.account_id && page[0]) skipped = expansionIneligibility(page[0]);
      const done = await store.accountsWithRows(
        deps.store.db,
        ctx.run_id,
        page.map((a) => a.id),
      );
      const rows: store.NewCandidateRow[] = [];
      for (const account of page) {
        if (done.has(account.id)) continue;
        const candidates = detectExpansion(account, catalogue, at);
        if (candidates.length === 0) continue;
        const existing = await deps.records.listExpansionOpportunities(account.id);
        const open = openOpportunityTypes(existing);
        for (const candidate of candidates) {
          const blocking = open.has(candidate.opportunity_type)
            ? existing.find(
                (o) =>
                  o.type === candidate.opportunity_type && (o.status === "New" || o.status === "Dispatched"),
              )
            : undefined;
          const carried = blocking ? await carriedOver(deps, blocking, scanAt) : null;
          rows.push({
            account_id: account.id,
            account_name: account.name,
            csm_owner: account.csm_owner,
            candidate,
            rank_value: expansionRank(candidate),
            suppressed:
              blocking && !carried
                ? `an open ${candidate.opportunity_type} opportunity exists (${blocking.id}, ${blocking.status})`
                : null,
            carried,
          });
        }
      }
      await store.insertCandidates(deps.store.db, ctx.run_id, scanAt, rows);
      scanned += page.length;
      ctx.progress({ phase: "detect", done: scanned, total: scanned });
    }
    return { scratch: { scan_at: scanAt, scanned, ...(skipped ? { skipped } : {}) } };
  };

const narrate =
  (deps: AgentDeps): NodeFn<CheckExpansionTask> =>
  async (ctx) => {
    const scanAt = scanAtOf(ctx.scratch);
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

const record =
  (deps: AgentDeps): NodeFn<CheckExpansionTask> =>
  async (ctx) => {
    const scanAt = scanAtOf(ctx.scratch);
    const kept = await store.rowsWithStatus(deps.store.db, ctx.run_id, "kept");
    let done = 0;
    for (const row of kept) {
      const c = store.candidateOf(row);
      // One record per account, type and scan day: a re-run of this node finds the record it made.
      const key = `expansion:${row.account_id}:${row.opportunity_type}:${scanAt.slice(0, 10)}`;
      const opp = await deps.records.createExpansionOpportunity(
        {
          account_id: row.account_id,
          name: `${row.account_name}: ${c.title}`,
          type: c.opportunity_type,
          estimated_arr_impact: c.estimated_arr_impact,
          confidence: c.confidence,
          evidence: evidenceText(c),
          talk_track: row.talk_track ?? "",
        },
        { idempotencyKey: key },
      );
      await deps.effects.once(`expansion-identified:${opp.id}`, "event", async () => {
        const e = await deps.bus.publish("expansion.identified", {
          source: AGENT_ID,
          account_id: row.account_id,
          run_id: ctx.run_id,
          payload: {
            opportunity_id: opp.id,
            opportunity_type: c.opportunity_type,
            estimated_arr_impact: c.estimated_arr_impact,
            confidence: c.confidence,
          },
        });
        return { event_id: e.id };
      });
      await store.markRecorded(deps.store.db, ctx.run_id, row, opp.id);
      done++;
      ctx.progress({ phase: "record", done, total: kept.length });
    }
    return {};
  };

const handOff =
  (deps: AgentDeps): NodeFn<CheckExpansionTask> =>
  async (ctx) => {
    await store.decideHandoffs(deps.store.db, ctx.run_id, deps.config.EXPANSION_HANDOFFS_MAX_PER_SCAN);
    const pending = await store.pendingHandoffs(deps.store.db, ctx.run_id);
    let done = 0;
    for (const row of pending) {
      const c = store.candidateOf(row);
      const receipt = await requestHandoff(deps, {
        key: handoffKey(row.opportunity_id!),
        source: AGENT_ID,
        to_agent: SALES_AGENT,
        task: {
          type: SALES_TASK,
          account_id: row.account_id,
          opportunity_id: row.opportunity_id,
          opportunity_type: c.opportunity_type,
          ...(c.product ? { product: c.product } : {}),
          evidence: c.evidence,
          estimated_arr_impact: c.estimated_arr_impact,
          recommended_talk_track: row.talk_track ?? "",
          confidence: c.confidence,
        },
        reason: `expansion opportunity for ${row.account_name}: ${c.title}`,
        account_id: row.account_id,
        run_id: ctx.run_id,
      });
      await store.markHandedOff(deps.store.db, ctx.run_id, row, receipt);
      done++;
      ctx.progress({ phase: "hand_off", done, total: pending.length });
    }
    return {};
  };

interface SummaryDraft {
  to: string | null;
  opportunities: number;
  draft_id?: string;
  skipped?: string;
  error?: string;
}

async function summaryDrafts(
  deps: AgentDeps,
  runId: string,
  scanAt: string,
  rows: store.CandidateRow[],
): Promise<SummaryDraft[]> {
  const byOwner = new Map<string, store.CandidateRow[]>();
  for (const r of rows) {
    const owner = r.csm_owner ?? "";
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), r]);
  }
  const out: SummaryDraft[] = [];
  for (const [owner, ownerRows] of [...byOwner.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const recipient = csmOwnerRecipient({ csm_owner: owner === "" ? null : owner });
    if (recipient.to === null) {
      out.push({ to: null, opportunities: ownerRows.length, skipped: recipient.reason ?? "no recipient" });
      continue;
    }
    const to = recipient.to;
    const items: SummaryItem[] = ownerRows.map((r) => ({
      account_name: r.account_name,
      opportunity_id: r.opportunity_id ?? "",
      candidate: store.candidateOf(r),
      talk_track: r.talk_track ?? "",
      handed_off: r.handoff === "handed_off",
    }));
    const subject = summarySubject(items, scanAt.slice(0, 10));
    const key = `expansion-summary:${to}:${runId}`;
    try {
      const draft = await deps.mail.createDraft({
        to,
        subject,
        text: summaryText(items, deps.config.EXPANSION_HANDOFFS_MAX_PER_SCAN),
        idempotencyKey: key,
        account_id: ownerRows.length === 1 ? ownerRows[0]!.account_id : null,
        run_id: runId,
        kind: "expansion_summary",
      });
      await deps.effects.once(`${key}:event`, "event", async () => {
        await deps.bus.publish("draft.created", {
          source: AGENT_ID,
          account_id: ownerRows.length === 1 ? ownerRows[0]!.account_id : null,
          run_id: runId,
          payload: { draft_id: draft.draft_id, to, subject, kind: "expansion_summary" },
        });
        return { published: true };
      });
      out.push({ to, opportunities: ownerRows.length, draft_id: draft.draft_id });
    } catch (err) {
      // A failed summary never undoes the records and hand-offs; the result names it.
      deps.log.warn({ err, to, run_id: runId }, "expansion summary draft failed");
      out.push({ to, opportunities: ownerRows.length, error: errorMessage(err) });
    }
  }
  return out;
}

const summarize =
  (deps: AgentDeps): NodeFn<CheckExpansionTask> =>
  async (ctx) => {
    const scanAt = scanAtOf(ctx.scratch);
    const rows = await store.allRows(deps.store.db, ctx.run_id);
    const narrations = await store.narrations(deps.store.db, ctx.run_id);
    const recorded = rows.filter((r) => r.status === "recorded");
    const drafts = await summaryDrafts(deps, ctx.run_id, scanAt, recorded);
    const by = new Set(narrations.map((n) => n.generated_by));
    const view = (r: store.CandidateRow) => {
      const c = store.candidateOf(r);
      return {
        opportunity_id: r.opportunity_id,
        account_id: r.account_id,
        account_name: r.account_name,
        opportunity_type: c.opportunity_type,
        product: c.product,
        title: c.title,
        evidence: c.evidence,
        estimated_arr_impact: c.estimated_arr_impact,
        confidence: c.confidence,
        talk_track: r.talk_track,
        handoff: r.handoff,
        ...(store.isCarriedOver(r) ? { carried_over: r.reason } : {}),
        ...(r.handoff_run_id ? { sales_run_id: r.handoff_run_id, handoff_event_id: r.handoff_event_id } : {}),
      };
    };
    return {
      result: {
        scanned: Number(ctx.scratch.scanned ?? 0),
        ...(typeof ctx.scratch.skipped === "string" ? { skipped: ctx.scratch.skipped } : {}),
        candidates: rows.length,
        suppressed_open: rows
          .filter((r) => r.status === "suppressed")
          .map((r) => ({ account_id: r.account_id, opportunity_type: r.opportunity_type, reason: r.reason })),
        llm_dropped: rows
          .filter((r) => r.status === "dropped")
          .map((r) => ({ account_id: r.account_id, opportunity_type: r.opportunity_type, reason: r.reason })),
        llm_unsupported_dropped: narrations.reduce((s, n) => s + n.unsupported_dropped, 0),
        opportunities_found: recorded.filter((r) => !store.isCarriedOver(r)).length,
        carried_over: recorded.filter(store.isCarriedOver).length,
        dispatched_to_sales: recorded.filter((r) => r.handoff === "handed_off").length,
        handoff_deferred: recorded
          .filter((r) => r.handoff === "deferred")
          .map((r) => ({
            opportunity_id: r.opportunity_id,
            account_id: r.account_id,
            opportunity_type: r.opportunity_type,
          })),
        opportunities: recorded.map(view),
        summary_drafts: drafts,
        generated_by: by.size === 0 ? null : by.size === 1 ? [...by][0] : "mixed",
        confidence: "high",
      },
    };
  };

export const checkExpansionHandler: CsTaskHandler<typeof CheckExpansionTaskSchema> = {
  schema: CheckExpansionTaskSchema,
  description:
    "Finds evidence-backed expansion opportunities (seats, module, integration), records them, hands the most valuable to Sales and drafts a summary to the CSM. {account_id?}",
  build: (deps) => [
    ["detect", detect(deps)],
    ["narrate", narrate(deps)],
    ["record", record(deps)],
    ["hand_off", handOff(deps)],
    ["summarize", summarize(deps)],
  ],
};
