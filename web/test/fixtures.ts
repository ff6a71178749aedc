import type { QualityGate, QueueItem } from "../src/types/api";

export function queueItem(over: Partial<QueueItem> = {}): QueueItem {
  return {
    id: 42,
    customer_id: "acc_0050",
    customer_name: "Falcon Systems Inc",
    csm_id: "maya.chen@example.com",
    task_type: "at_risk_recovery",
    task_type_id: 5,
    playbook_id: 5,
    priority: "urgent",
    priority_score: 380,
    status: "pending",
    due_date: new Date(Date.now() - 2 * 86_400_000).toISOString(),
    days_overdue: 2,
    snooze_until: null,
    outcome_type: null,
    sentiment: null,
    next_action: null,
    next_action_date: null,
    created_at: "2026-11-30T14:19:25.561Z",
    started_at: null,
    completed_at: null,
    metadata: {},
    customer: { arr: 356_500, tier: "vip", churn_risk: "high", renewal_date: "2027-11-20" },
    health: { score: 54, rag: "AMBER", at: "2026-11-26T18:49:00.000Z" },
    ...over,
  };
}

export const GATES: QualityGate[] = [
  {
    id: "root_cause_identified",
    question: "Root cause identified?",
    gate_type: "boolean",
    required: true,
    options: null,
    order: 1,
  },
  {
    id: "primary_risk_factor",
    question: "What is the primary risk factor?",
    gate_type: "select",
    required: true,
    options: ["Low usage", "Budget", "Other"],
    order: 2,
  },
  {
    id: "call_quality",
    question: "How well did the call go?",
    gate_type: "rating",
    required: false,
    options: null,
    order: 3,
  },
  {
    id: "blocker",
    question: "What is the blocker?",
    gate_type: "text",
    required: false,
    options: null,
    order: 4,
  },
];
