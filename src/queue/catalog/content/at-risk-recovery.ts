/**
 * At-risk recovery: churn risk is high or critical; find the root cause, act, and follow up. Pure data.
 */
import { type CatalogEntry, defineGates, defineHandlers } from "../define.js";

const gates = defineGates([
  { id: "root_cause_identified", question: "Root cause identified?", gate_type: "boolean", required: true },
  {
    id: "primary_risk_factor",
    question: "What is the primary risk factor?",
    gate_type: "select",
    options: ["Low usage", "Support issues", "Budget", "Champion left", "Competition", "Other"],
    required: true,
  },
  { id: "recovery_action_taken", question: "Recovery action taken?", gate_type: "boolean", required: true },
  {
    id: "customer_retained",
    question: "Customer retained?",
    gate_type: "select",
    options: ["Yes - saved", "Yes - at risk", "No - churned", "Pending"],
    required: true,
  },
]);

export const atRiskRecovery: CatalogEntry = {
  task_type: {
    slug: "at_risk_recovery",
    name: "At-Risk Recovery",
    description:
      "The customer's churn risk is high or critical. Understand the root cause, take a recovery action and schedule the follow-up that prevents churn.",
    category: "retention",
    default_priority: "urgent",
    sla_hours: 24,
    required_outcomes: ["root_cause_identified", "recovery_action_taken", "follow_up_scheduled"],
    quality_gates: gates,
    auto_trigger_conditions: { rule: "churn_risk", churn_risk_in: ["high", "critical"] },
    is_active: true,
  },
  playbook: {
    task_type_slug: "at_risk_recovery",
    name: "At-Risk Recovery",
    version: "1.0",
    objective: "Understand root cause, create recovery plan, prevent churn",
    context_fields: [
      "health_score_history",
      "risk_factors",
      "recent_tickets",
      "usage_decline",
      "payment_issues",
    ],
    opening_script:
      "Hi [name], I wanted to reach out personally. I noticed [specific signal—usage drop/missed payment/low score]. I want to make sure we're delivering what you need. Can we talk about what's going on?",
    key_questions: [
      "What's changed since you started using us?",
      "What would need to happen for this to be successful for you?",
      "Is there anything we could do differently?",
    ],
    objection_handlers: defineHandlers([
      {
        id: "thinking_of_canceling",
        trigger: "Thinking of canceling",
        response:
          "I appreciate you being direct. Before you decide, can you help me understand what's not working? I may be able to fix it.",
      },
      {
        id: "not_getting_value",
        trigger: "Not getting value",
        response:
          "That's on us. What did you expect that you're not seeing? Let's figure out how to get you there.",
      },
      {
        id: "too_expensive",
        trigger: "Too expensive",
        response:
          "I understand budget matters. Let's look at what you're actually using and see if there's a better fit.",
      },
    ]),
    success_criteria: "Root cause identified, recovery action taken, follow-up scheduled",
    quality_gates: gates,
    estimated_duration_minutes: 30,
    is_active: true,
  },
};
