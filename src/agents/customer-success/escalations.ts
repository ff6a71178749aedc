/**
 * The `tam.escalation_raised` hand-off: an escalation the TAM fires feeds into the CSM's churn risk. A
 * durable subscriber, so a crash never loses one: it records the escalation (once per event id) where scoring
 * counts it into the account's escalation signal, then re-scores the account with a health_scan whose run id
 * derives from the event, so a redelivery starts no second run.
 *
 * The records' Escalations 90d is taken as escalations from other sources (support, executives); TAM's arrive
 * only over the bus and are added on top for 90 days.
 */
import type { BusEvent } from "../../events/catalogue.js";
import type { AgentDeps } from "../deps.js";
import { AGENT_ID } from "./agent-id.js";

export const ESCALATION_SUBSCRIBER = "customer-success.tam-escalations";

export const escalationRunId = (eventId: string): string => `run_cs_escalation_${eventId}`;

export async function handleTamEscalation(deps: AgentDeps, event: BusEvent): Promise<void> {
  if (event.type !== "tam.escalation_raised") return;
  if (!event.account_id) {
    deps.log.warn({ seq: event.seq }, "tam.escalation_raised without account_id: nothing to re-score");
    return;
  }
  const payload = event.payload as { status: string; score: number };
  await deps.store.db
    .insertInto("csm_escalations")
    .orIgnore()
    .values({
      event_id: event.id,
      account_id: event.account_id,
      at: event.at,
      tam_status: payload.status,
      tam_score: payload.score,
      run_id: event.run_id ?? null,
    })
    .execute();
  await deps.runs.dispatch({
    agent_id: AGENT_ID,
    task: { type: "health_scan", account_id: event.account_id },
    parent_run_id: event.run_id ?? null,
    caller: "event:tam.escalation_raised",
    run_id: escalationRunId(event.id),
  });
}

export function subscribeToTamEscalations(deps: AgentDeps): void {
  deps.bus.durable(ESCALATION_SUBSCRIBER, ["tam.escalation_raised"], (event) =>
    handleTamEscalation(deps, event),
  );
}
