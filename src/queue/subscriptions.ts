/**
 * Tasks created by events, through one durable bus subscriber so a crash never loses one. The handler
 * is idempotent: each task it creates carries the event id in its trigger_key, so a redelivered event
 * finds its task instead of making another.
 *
 * - churn.risk_flagged: at-risk recovery when the level is high or critical (the churn rule), otherwise a
 *   health-drop alert (unless an at-risk recovery task is open: one call covers both); and the churn risk
 *   of the customer's open tasks is updated, so their priority follows at once.
 * - account.health_scored: the churn risk of open tasks follows the scan; a score falling fast (10+ points
 *   within 14 days) raises a health-drop alert.
 * - expansion.identified: an expansion opportunity task for the opportunity.
 */
import type { TaskTypeSlug } from "../domain/tasks/catalog-schema.js";
import { AT_RISK_COOLDOWN_DAYS, HEALTH_DROP_COVERED_BY } from "../domain/tasks/generation-rules.js";
import type { ChurnLevel } from "../domain/types.js";
import type { BusEvent, EventType } from "../events/catalogue.js";
import type { CreateTaskInput } from "./create.js";
import { QueueInputError } from "./errors.js";

export const QUEUE_SUBSCRIBER = "queue.task_triggers";
export const QUEUE_EVENT_TYPES: readonly EventType[] = [
  "churn.risk_flagged",
  "account.health_scored",
  "expansion.identified",
];

const HEALTH_DROP_COOLDOWN_DAYS = 14;

/** What the event rules need from the queue: the service hands these in, not itself. */
export interface QueueTriggers {
  createTask(input: CreateTaskInput): Promise<unknown>;
  hasOpenTask(customerId: string, taskType: TaskTypeSlug): Promise<boolean>;
  /** The customer's churn risk changed: its open tasks' priority inputs follow. */
  refreshChurnRisk(customerId: string, level: ChurnLevel): Promise<unknown>;
}

export async function handleQueueEvent(queue: QueueTriggers, event: BusEvent): Promise<void> {
  const customer = event.account_id;
  if (!customer) return;
  try {
    await handle(queue, event, customer);
  } catch (err) {
    // A missing account or owner will not fix itself on retry: note it and move on.
    if (err instanceof QueueInputError) return;
    throw err;
  }
}

async function handle(queue: QueueTriggers, event: BusEvent, customer: string): Promise<void> {
  const source = `event:${event.type}`;
  switch (event.type) {
    case "churn.risk_flagged": {
      const p = event.payload as BusEvent<"churn.risk_flagged">["payload"];
      if (p.level === "high" || p.level === "critical") {
        await queue.createTask({
          customer_id: customer,
          task_type: "at_risk_recovery",
          source,
          trigger_key: `at_risk_recovery:${customer}:event:${event.id}`,
          cooldown_days: AT_RISK_COOLDOWN_DAYS,
          metadata: {
            reason: `churn risk ${p.level} flagged`,
            churn_risk: p.level,
            reasons: p.reasons,
            event_seq: event.seq,
          },
        });
      } else {
        await healthDrop(queue, customer, event, `churn risk ${p.level} flagged: ${p.reasons.join("; ")}`);
      }
      // After creating: the event's level is newer than the account record a new task was built from.
      await queue.refreshChurnRisk(customer, p.level);
      return;
    }
    case "account.health_scored": {
      const p = event.payload as BusEvent<"account.health_scored">["payload"];
      if (p.trend === "falling_fast") {
        await healthDrop(queue, customer, event, `health score ${p.score} and falling fast`);
      }
      await queue.refreshChurnRisk(customer, p.churn_risk as ChurnLevel);
      return;
    }
    case "expansion.identified": {
      const p = event.payload as BusEvent<"expansion.identified">["payload"];
      await queue.createTask({
        customer_id: customer,
        task_type: "expansion_opportunity",
        source,
        trigger_key: `expansion_opportunity:${customer}:${p.opportunity_id}`,
        metadata: {
          reason: `${p.opportunity_type} expansion identified`,
          opportunity_id: p.opportunity_id,
          opportunity_type: p.opportunity_type,
          estimated_arr_impact: p.estimated_arr_impact,
          confidence: p.confidence,
        },
      });
      return;
    }
    default:
      return;
  }
}

async function healthDrop(
  queue: QueueTriggers,
  customer: string,
  event: BusEvent,
  reason: string,
): Promise<void> {
  if (await queue.hasOpenTask(customer, HEALTH_DROP_COVERED_BY)) return;
  await queue.createTask({
    customer_id: customer,
    task_type: "health_score_drop",
    source: `event:${event.type}`,
    trigger_key: `health_score_drop:${customer}:event:${event.id}`,
    cooldown_days: HEALTH_DROP_COOLDOWN_DAYS,
    metadata: { reason, event_seq: event.seq },
  });
}
