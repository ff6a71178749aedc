import { MS_PER_DAY } from "../../domain/calendar.js";
import type { Account } from "../../domain/types.js";
import { errorMessage } from "../../errors.js";
import type { BusEvent } from "../../events/catalogue.js";
import { evaluate, factsOf } from "../conditions/evaluate.js";
import { gatherFacts } from "../conditions/facts.js";
import type { ExecutionControl } from "../control.js";
import type { PlaybookDeps } from "../deps.js";
import type { PlaybookEvents } from "../events.js";
import type { Trigger } from "../schema/triggers.js";
import type { ExecutionRepo, TriggerInfo } from "../store/executions.js";
import type { PlaybookRecord, PlaybookRepo } from "../store/templates.js";
import { type FireOutcome, TriggerFireRepo } from "../store/trigger-fires.js";
import { eventMatches, timeTriggerDue, triggerLabel } from "./match.js";
import { FieldWatch } from "./watch.js";

/**
 * Triggers: time (X days before renewal / after signup), events (risk flagged, TAM escalation, health
 * drop, champion left), and conditions (e.g. health below 60, usage down 20%+), checked on every tick
 * and on every account event.
 *
 * A firing is recorded under a key (the event id, the anchor date, the condition and day), so a
 * redelivered event or the next tick never starts a playbook twice. The same playbook never runs twice
 * at once for a customer (the store's unique index). When playbooks compete for a customer, priority
 * decides: a higher-priority trigger pauses the lower-priority execution until it finishes itself; a
 * lower- or equal-priority trigger is suppressed while the other runs. Manual starts are the CSM's
 * own choice and are neither blocked nor preempted.
 */

interface Candidate {
  playbook: PlaybookRecord;
  trigger: TriggerInfo;
  fire_key: string;
  /** Suppressed firings of time and condition triggers are tried again once the blocker is gone. */
  retryable: boolean;
  cooldown?: { prefix: string; days: number };
}

export interface FireReport {
  started: string[];
  suppressed: number;
  duplicates: number;
  /** Watched account fields seen changed (each published as account.field_changed). */
  field_changes: number;
}

const emptyReport = (): FireReport => ({ started: [], suppressed: 0, duplicates: 0, field_changes: 0 });

/** What the trigger service works with: the playbooks' stores and events, and control of executions. */
export interface TriggerContext {
  deps: PlaybookDeps;
  templates: PlaybookRepo;
  executions: ExecutionRepo;
  events: PlaybookEvents;
  control: ExecutionControl;
}

export class TriggerService {
  private readonly deps: PlaybookDeps;
  private readonly watch: FieldWatch;
  private readonly fires: TriggerFireRepo;

  constructor(private readonly ctx: TriggerContext) {
    this.deps = ctx.deps;
    this.watch = new FieldWatch(ctx.deps.store.db, ctx.deps.bus, ctx.deps.clock);
    this.fires = new TriggerFireRepo(ctx.deps.store.db);
  }

  private published() {
    return this.ctx.templates.list({ status: "published" });
  }

  /** The durable bus handler: event triggers, then condition triggers, for the event's account. */
  async onEvent(e: BusEvent): Promise<FireReport> {
    if (!e.account_id) return emptyReport();
    const account = await this.deps.records.getAccount(e.account_id);
    if (!account || account.status === "Churned") return emptyReport();
    const playbooks = await this.published();
    const candidates: Candidate[] = [];
    for (const playbook of playbooks) {
      playbook.triggers.forEach((t) => {
        if (!eventMatches(t, e)) return;
        candidates.push({
          playbook,
          trigger: {
            type: "event",
            detail: { trigger: t, event_id: e.id, event_type: e.type, event_seq: e.seq },
          },
          fire_key: `event:${e.id}`,
          retryable: false,
        });
      });
    }
    candidates.push(...(await this.conditionCandidates(account, playbooks)));
    return this.fire(account.id, candidates);
  }

  /**
   * The tick's pass over the book: the field watch (a changed champion becomes an event, which the
   * event triggers then see), and the time and condition triggers of every live account.
   */
  async evaluateBook(): Promise<FireReport> {
    const playbooks = (await this.published()).filter((p) =>
      p.triggers.some((t) => t.type === "time" || t.type === "condition"),
    );
    const report = emptyReport();
    for await (const page of this.deps.records.iterateAccounts({
      status: ["Onboarding", "Active", "Inactive"],
    })) {
      try {
        report.field_changes += await this.watch.observe(page);
      } catch (err) {
        this.deps.log.warn({ err: errorMessage(err) }, "playbook field watch failed for a page of accounts");
      }
      if (playbooks.length === 0) continue;
      for (const account of page) {
        try {
          const r = await this.fire(account.id, [
            ...this.timeCandidates(account, playbooks),
            ...(await this.conditionCandidates(account, playbooks)),
          ]);
          report.started.push(...r.started);
          report.suppressed += r.suppressed;
          report.duplicates += r.duplicates;
        } catch (err) {
          // One account's failure never stops the pass over the others.
          this.deps.log.warn(
            { err: errorMessage(err), account_id: account.id },
            "playbook triggers failed for account",
          );
        }
      }
    }
    return report;
  }

  private timeCandidates(account: Account, playbooks: PlaybookRecord[]): Candidate[] {
    const now = this.deps.clock.now();
    const windowMs = (this.deps.config.PLAYBOOK_TIME_TRIGGER_WINDOW_DAYS + 1) * MS_PER_DAY;
    const out: Candidate[] = [];
    for (const playbook of playbooks) {
      for (const t of playbook.triggers) {
        if (t.type !== "time") continue;
        const due = timeTriggerDue(t, account);
        if (!due || now < due || now.getTime() >= due.getTime() + windowMs) continue;
        const anchor = account[t.anchor];
        out.push({
          playbook,
          trigger: { type: "time", detail: { trigger: t, anchor_date: anchor, due: due.toISOString() } },
          fire_key: `time:${t.anchor}:${t.when}:${t.days}:${anchor}`,
          retryable: true,
        });
      }
    }
    return out;
  }

  private async conditionCandidates(account: Account, playbooks: PlaybookRecord[]): Promise<Candidate[]> {
    const now = this.deps.clock.now();
    const out: Candidate[] = [];
    for (const playbook of playbooks) {
      for (const [i, t] of playbook.triggers.entries()) {
        if (t.type !== "condition") continue;
        const facts = await gatherFacts(factsOf(t.condition), {
          db: this.deps.store.db,
          queue: this.deps.queue,
          now,
          account,
        });
        const { result, trace } = evaluate(t.condition, facts);
        if (!result) continue;
        out.push({
          playbook,
          trigger: { type: "condition", detail: { trigger: t, facts: trace } },
          fire_key: `condition:${i}:${now.toISOString().slice(0, 10)}`,
          retryable: true,
          cooldown: {
            prefix: `condition:${i}:`,
            days: t.cooldown_days ?? this.deps.config.PLAYBOOK_CONDITION_COOLDOWN_DAYS,
          },
        });
      }
    }
    return out;
  }

  private async record(
    c: Candidate,
    accountId: string,
    outcome: FireOutcome,
    executionId: string | null,
    blockedBy: string | null,
  ) {
    await this.fires.record({
      playbook_id: c.playbook.playbook_id,
      account_id: accountId,
      fire_key: c.fire_key,
      outcome,
      execution_id: executionId,
      blocked_by: blockedBy,
      at: this.deps.clock.now().toISOString(),
    });
  }

  private async inCooldown(c: Candidate, accountId: string): Promise<boolean> {
    if (!c.cooldown || c.cooldown.days === 0) return false;
    const since = new Date(this.deps.clock.now().getTime() - c.cooldown.days * MS_PER_DAY).toISOString();
    return this.fires.startedSince(c.playbook.playbook_id, accountId, c.cooldown.prefix, since);
  }

  /** Start what should start for one customer, highest priority first. */
  async fire(accountId: string, candidates: Candidate[]): Promise<FireReport> {
    const report = emptyReport();
    const ordered = [...candidates].sort(
      (a, b) => b.playbook.priority - a.playbook.priority || a.playbook.name.localeCompare(b.playbook.name),
    );
    const seen = new Set<string>();
    for (const c of ordered) {
      if (seen.has(c.playbook.playbook_id)) continue;
      const prior = await this.fires.get(c.playbook.playbook_id, accountId, c.fire_key);
      if (prior) {
        if (prior.outcome !== "suppressed" || !c.retryable) continue;
        const blocker = prior.blocked_by ? await this.ctx.executions.get(prior.blocked_by) : null;
        if (blocker && blocker.finished_at === null) continue;
      }
      if (await this.inCooldown(c, accountId)) continue;
      seen.add(c.playbook.playbook_id);

      const same = await this.ctx.executions.active(c.playbook.playbook_id, accountId);
      if (same) {
        await this.record(c, accountId, "duplicate", same.execution_id, null);
        report.duplicates++;
        continue;
      }
      const competing = (await this.ctx.executions.activeForAccount(accountId)).filter(
        (e) => e.trigger.type !== "manual" && !(e.status === "paused" && e.preempted_by !== null),
      );
      const top = competing.reduce<(typeof competing)[number] | null>(
        (best, e) => (best === null || e.priority > best.priority ? e : best),
        null,
      );
      if (top && top.priority >= c.playbook.priority) {
        await this.record(c, accountId, "suppressed", null, top.execution_id);
        await this.ctx.events.suppressed(
          accountId,
          c.playbook.playbook_id,
          c.trigger.type,
          top.execution_id,
          `${top.snapshot.name} (priority ${top.priority}) is running for this customer; ${c.playbook.name} has priority ${c.playbook.priority}`,
        );
        report.suppressed++;
        continue;
      }
      const { execution, created } = await this.ctx.control.startExecution({
        playbook_id: c.playbook.playbook_id,
        account_id: accountId,
        trigger: c.trigger,
        started_by: `trigger:${triggerLabel((c.trigger.detail?.trigger as Trigger | undefined) ?? { type: "manual" })}`,
      });
      await this.record(c, accountId, created ? "started" : "duplicate", execution.execution_id, null);
      if (!created) {
        report.duplicates++;
        continue;
      }
      report.started.push(execution.execution_id);
      for (const lower of competing) {
        try {
          await this.ctx.control.pause(
            lower.execution_id,
            "system",
            `preempted by ${c.playbook.name} (priority ${c.playbook.priority} over ${lower.priority})`,
            execution.execution_id,
          );
        } catch (err) {
          this.deps.log.warn(
            { err: errorMessage(err), execution_id: lower.execution_id },
            "could not preempt",
          );
        }
      }
      // The new execution may have finished before the pauses landed (nothing to wait for, say): its
      // own release found nothing to resume then, so release what it preempted now.
      if (competing.length > 0 && (await this.ctx.executions.get(execution.execution_id))?.finished_at)
        await this.ctx.control.releasePreempted(execution.execution_id);
    }
    return report;
  }
}
