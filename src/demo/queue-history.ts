/**
 * Demo task history: 200+ past and current tasks on the demo book, so the queue and the weekly dashboard
 * have content on first boot. Deterministic: same accounts, seed and `now`, same history. Pure: the
 * caller loads the rows (queue-seed.ts).
 *
 * Status mix: 60% completed with outcomes, 20% in progress, 15% pending, 5% escalated or blocked.
 * Completions fall this week, last week and the six weeks before, so "this week" and the trend against
 * last week have numbers. Outcomes vary in objective, sentiment, channel, blockers and quality-gate
 * answers; gate answers are valid for their gates and lean with the objective (a saved customer is
 * answered "Yes - saved").
 */
import { daysUntil, MS_PER_DAY, MS_PER_HOUR } from "../domain/calendar.js";
import type { QualityGate, TaskTypeSlug } from "../domain/tasks/catalog-schema.js";
import type { Account, ChurnLevel } from "../domain/types.js";
import type { CatalogIndex, TaskTypeRecord } from "../queue/catalog-store.js";
import type { HistoryOutcome, HistoryTask } from "../queue/history-import.js";
import { completionMetadata, weekBounds } from "../queue/metrics.js";
import { type ChurnProbabilities, staticScore } from "../queue/scoring.js";
import type { ObjectiveAchieved, Sentiment } from "../queue/types.js";
import { Prng } from "./prng.js";
import {
  BLOCKERS,
  ESCALATE_TO,
  ESCALATION_REASONS,
  NEXT_ACTIONS,
  NOTES,
  SENTIMENT_BY_OBJECTIVE,
  TEXT_ANSWERS,
} from "./queue-history-phrases.js";

export interface DemoHistoryOptions {
  now: Date;
  seed?: number;
  /** Churn level per account (recorded or estimated): feeds the priority inputs. */
  churnLevels: ReadonlyMap<string, ChurnLevel | null>;
  probabilities: ChurnProbabilities;
}

export const DEMO_STATUS_MIX = Object.freeze({ completed: 0.6, in_progress: 0.2, pending: 0.15 });

/** Task types that fit an account's state, so the history reads like this book's. */
function typesFor(account: Account, now: Date, level: ChurnLevel | null): TaskTypeSlug[] {
  if (account.status === "Churned")
    return ["at_risk_recovery", "health_score_drop", "renewal_prep", "nps_detractor_followup"];
  if (account.status === "Onboarding")
    return ["onboarding_stall", "day_30_checkin", "day_60_checkin", "day_90_qbr"];
  const out: TaskTypeSlug[] = ["day_90_qbr", "health_score_drop", "day_60_checkin"];
  const renewal = daysUntil(account.renewal_date, now);
  if (renewal !== null && renewal <= 120) out.push("renewal_prep");
  if (account.nps !== null && account.nps <= 6) out.push("nps_detractor_followup");
  if (
    level === "high" ||
    level === "critical" ||
    account.usage_trend === "declining" ||
    account.usage_trend === "inactive" ||
    (account.payment_status !== null && account.payment_status !== "current")
  )
    out.push("at_risk_recovery");
  const seatsTight =
    account.seats_purchased !== null &&
    account.seats_used !== null &&
    account.seats_used >= 0.85 * account.seats_purchased;
  if (seatsTight || account.usage_trend === "growing") out.push("expansion_opportunity");
  return out;
}

function gateAnswer(rng: Prng, gate: QualityGate, objective: ObjectiveAchieved): unknown {
  const lean = objective === "yes" ? 0.9 : objective === "partial" ? 0.6 : 0.25;
  switch (gate.gate_type) {
    case "boolean":
      return rng.chance(lean);
    case "rating":
      return objective === "yes" ? rng.int(4, 5) : objective === "partial" ? rng.int(3, 4) : rng.int(1, 2);
    case "text":
      return rng.pick(TEXT_ANSWERS);
    case "select": {
      const options = gate.options ?? [];
      if (gate.id === "customer_retained") {
        if (objective === "yes") return rng.chance(0.8) ? "Yes - saved" : "Yes - at risk";
        if (objective === "partial") return rng.pick(["Yes - at risk", "Pending"]);
        return rng.weighted<string>([
          ["No - churned", 3],
          ["Pending", 4],
          ["Yes - at risk", 3],
        ]);
      }
      if (gate.id === "renewal_likelihood") {
        if (objective === "yes") return rng.pick(["Committed", "Likely"]);
        if (objective === "partial") return rng.pick(["Likely", "At risk"]);
        return rng.pick(["At risk", "Will not renew"]);
      }
      if (options.length === 3 && options[0] === "Yes" && objective !== "no")
        return rng.chance(lean) ? "Yes" : "Unsure";
      return rng.pick(options);
    }
  }
}

function gateAnswers(rng: Prng, gates: QualityGate[], objective: ObjectiveAchieved): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const g of gates) {
    if (!g.required && !rng.chance(0.5)) continue;
    out[g.id] = gateAnswer(rng, g, objective);
  }
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function generateDemoHistory(
  accounts: readonly Account[],
  catalog: CatalogIndex,
  opts: DemoHistoryOptions,
): HistoryTask[] {
  const rng = new Prng(opts.seed ?? 7);
  const now = opts.now;
  const nowMs = now.getTime();
  const owned = [...accounts].filter((a) => a.csm_owner !== null).sort((a, b) => (a.id < b.id ? -1 : 1));
  if (owned.length === 0) return [];
  const total = Math.min(5000, Math.max(220, owned.length * 4));
  const level = (a: Account) => opts.churnLevels.get(a.id) ?? null;

  // Open tasks need distinct (customer, task type) pairs on live accounts.
  const pairs: Array<{ account: Account; type: TaskTypeSlug }> = [];
  for (const a of owned) {
    if (a.status === "Churned") continue;
    for (const type of typesFor(a, now, level(a))) pairs.push({ account: a, type });
  }
  rng.shuffle(pairs);
  const wantInProgress = Math.round(total * DEMO_STATUS_MIX.in_progress);
  const wantPending = Math.round(total * DEMO_STATUS_MIX.pending);
  const inProgress = Math.min(wantInProgress, pairs.length);
  const pending = Math.min(wantPending, pairs.length - inProgress);
  const closed = total - inProgress - pending;
  const stuck = Math.round(
    total * (1 - DEMO_STATUS_MIX.completed - DEMO_STATUS_MIX.in_progress - DEMO_STATUS_MIX.pending),
  );
  const escalated = Math.ceil(stuck * 0.6);
  const blocked = stuck - escalated;
  const completed = closed - escalated - blocked;

  const { start: weekStart } = weekBounds(now);
  const weekStartMs = weekStart.getTime();
  const out: HistoryTask[] = [];

  const base = (account: Account, type: TaskTypeRecord, createdMs: number) => {
    const metadata: Record<string, unknown> = { demo: true };
    if (type.slug === "expansion_opportunity") {
      metadata["opportunity_type"] = rng.pick(["seats", "module", "integration"]);
      metadata["estimated_arr_impact"] =
        Math.round(((account.arr ?? 50_000) * rng.float(0.08, 0.3)) / 100) * 100;
    }
    const snapshot = {
      arr: account.arr,
      tier: account.tier,
      churn_risk: level(account),
      renewal_date: account.renewal_date,
    };
    return {
      customer_id: account.id,
      customer_name: account.name,
      csm_id: account.csm_owner!,
      task_type: type.slug,
      task_type_id: type.id,
      playbook_id: type.playbook_id,
      priority: type.default_priority,
      due_date: iso(createdMs + type.sla_hours * MS_PER_HOUR),
      snooze_until: null,
      metadata: JSON.stringify(metadata),
      source: "demo",
      trigger_key: null,
      ...snapshot,
      static_score: staticScore({ ...snapshot, priority: type.default_priority }, opts.probabilities),
      created_at: iso(createdMs),
      metadataObject: metadata,
    };
  };
  const typeOf = (slug: TaskTypeSlug) => catalog.typeBySlug.get(slug)!;

  // Open tasks: in progress, then pending.
  for (let i = 0; i < inProgress + pending; i++) {
    const { account, type: slug } = pairs[i]!;
    const type = typeOf(slug);
    const isStarted = i < inProgress;
    const createdMs = nowMs - rng.float(isStarted ? 0.2 : 0.05, isStarted ? 9 : 6) * MS_PER_DAY;
    const startedMs = createdMs + (nowMs - createdMs) * rng.float(0.2, 0.9);
    const { metadataObject: _m, ...row } = base(account, type, createdMs);
    out.push({
      task: {
        ...row,
        status: isStarted ? "in_progress" : "pending",
        outcome_type: null,
        outcome_notes: null,
        sentiment: null,
        next_action: null,
        next_action_date: null,
        quality_gates_completed: "{}",
        updated_at: iso(isStarted ? startedMs : createdMs),
        started_at: isStarted ? iso(startedMs) : null,
        completed_at: null,
      },
      outcomes: [],
    });
  }

  // Closed tasks, on any owned account (churned ones keep their history).
  const closedPick = () => {
    const account = rng.pick(owned);
    return { account, type: typeOf(rng.pick(typesFor(account, now, level(account)))) };
  };
  for (let i = 0; i < completed; i++) {
    const { account, type } = closedPick();
    const bucket = rng.weighted<"this" | "last" | "older">([
      ["this", 2],
      ["last", 2],
      ["older", 6],
    ]);
    const doneMs =
      bucket === "this"
        ? weekStartMs + (nowMs - weekStartMs) * rng.next()
        : bucket === "last"
          ? weekStartMs - rng.float(0, 7) * MS_PER_DAY
          : weekStartMs - rng.float(7, 49) * MS_PER_DAY;
    const createdMs = doneMs - rng.float(0.5, 6) * MS_PER_DAY;
    const startedMs = createdMs + (doneMs - createdMs) * rng.float(0.3, 0.9);
    const { metadataObject, ...row } = base(account, type, createdMs);

    const outcomeType = rng.weighted<"connected" | "completed" | "voicemail" | "no_answer">([
      ["connected", 70],
      ["completed", 15],
      ["voicemail", 10],
      ["no_answer", 5],
    ]);
    const reached = outcomeType === "connected" || outcomeType === "completed";
    const objective: ObjectiveAchieved = reached
      ? rng.weighted<ObjectiveAchieved>([
          ["yes", 62],
          ["partial", 25],
          ["no", 13],
        ])
      : "no";
    const sentiment = rng.weighted(SENTIMENT_BY_OBJECTIVE[objective]);
    const channel = !reached
      ? "call"
      : rng.weighted<string>(
          outcomeType === "completed"
            ? [
                ["email", 4],
                ["meeting", 3],
                ["call", 3],
              ]
            : [
                ["call", 7],
                ["meeting", 2],
                ["email", 1],
              ],
        );
    const answers = gateAnswers(rng, type.quality_gates, objective);
    const notes = rng.pick(NOTES[objective]);
    const hasNext = rng.chance(0.55);
    const nextNotes = hasNext ? rng.pick(NEXT_ACTIONS) : null;
    const nextDate = hasNext ? iso(doneMs + rng.float(2, 14) * MS_PER_DAY) : null;
    const blocker = objective === "yes" ? null : rng.pick(BLOCKERS);
    const outcomes: HistoryOutcome[] = [];
    if (rng.chance(0.12)) {
      const movedMs = createdMs + (startedMs - createdMs) * rng.next();
      outcomes.push(
        outcome(account, type, "reschedule", "rescheduled", movedMs, {
          notes: "Customer asked to move the call",
          metadata: { previous_due_date: row.due_date, new_due_date: iso(startedMs) },
        }),
      );
    }
    outcomes.push(
      outcome(account, type, "complete", outcomeType, doneMs, {
        objective_achieved: objective,
        sentiment,
        blocker_reason: blocker,
        next_action_required: hasNext ? 1 : 0,
        next_action_date: nextDate,
        next_action_notes: nextNotes,
        quality_gate_responses: JSON.stringify(answers),
        notes,
        channel,
        metadata: completionMetadata(metadataObject),
      }),
    );
    out.push({
      task: {
        ...row,
        status: "completed",
        outcome_type: "completed",
        outcome_notes: notes,
        sentiment,
        next_action: nextNotes,
        next_action_date: nextDate,
        quality_gates_completed: JSON.stringify(answers),
        updated_at: iso(doneMs),
        started_at: iso(startedMs),
        completed_at: iso(doneMs),
      },
      outcomes,
    });
  }

  for (let i = 0; i < escalated + blocked; i++) {
    const isEscalation = i < escalated;
    const { account, type } = closedPick();
    const createdMs = nowMs - rng.float(2, 45) * MS_PER_DAY;
    const startedMs = createdMs + rng.float(0.1, 1) * MS_PER_DAY;
    const endedMs = Math.min(nowMs, startedMs + rng.float(0.1, 2) * MS_PER_DAY);
    const { metadataObject, ...row } = base(account, type, createdMs);
    const reason = rng.pick(isEscalation ? ESCALATION_REASONS : BLOCKERS);
    const escalateTo = rng.pick(ESCALATE_TO);
    const sentiment = rng.weighted<Sentiment>([
      ["neutral", 2],
      ["frustrated", 5],
      ["angry", 3],
    ]);
    const metadata = isEscalation ? { ...metadataObject, escalated_to: escalateTo } : metadataObject;
    out.push({
      task: {
        ...row,
        metadata: JSON.stringify(metadata),
        status: isEscalation ? "escalated" : "blocked",
        outcome_type: isEscalation ? "escalated" : "blocked",
        outcome_notes: reason,
        sentiment,
        next_action: null,
        next_action_date: null,
        quality_gates_completed: "{}",
        updated_at: iso(endedMs),
        started_at: iso(startedMs),
        completed_at: null,
      },
      outcomes: [
        outcome(
          account,
          type,
          isEscalation ? "escalate" : "block",
          isEscalation ? "escalated" : "blocked",
          endedMs,
          isEscalation
            ? { notes: reason, sentiment, metadata: { escalate_to: escalateTo } }
            : { notes: reason, sentiment, blocker_reason: reason },
        ),
      ],
    });
  }

  // Insert in creation order, so ids grow with time as in a real history.
  return out.sort((a, b) => (a.task.created_at < b.task.created_at ? -1 : 1));
}

function outcome(
  account: Account,
  type: TaskTypeRecord,
  action: string,
  outcomeType: string,
  atMs: number,
  fields: {
    notes: string;
    objective_achieved?: ObjectiveAchieved;
    sentiment?: Sentiment;
    blocker_reason?: string | null;
    next_action_required?: number;
    next_action_date?: string | null;
    next_action_notes?: string | null;
    quality_gate_responses?: string;
    channel?: string;
    metadata?: Record<string, unknown>;
  },
): HistoryOutcome {
  return {
    action,
    outcome_type: outcomeType,
    objective_achieved: fields.objective_achieved ?? null,
    blocker_reason: fields.blocker_reason ?? null,
    sentiment: fields.sentiment ?? null,
    next_action_required: fields.next_action_required ?? 0,
    next_action_date: fields.next_action_date ?? null,
    next_action_notes: fields.next_action_notes ?? null,
    quality_gate_responses: fields.quality_gate_responses ?? "{}",
    notes: fields.notes,
    channel: fields.channel ?? null,
    csm_id: account.csm_owner!,
    customer_id: account.id,
    task_type: type.slug,
    arr: account.arr,
    created_at: iso(atMs),
    metadata: JSON.stringify(fields.metadata ?? {}),
  };
}
