/**
 * Health score drop: a fall of 10+ points within 14 days, or flagged churn risk; find the cause early. Pure data.
 */
import { type CatalogEntry, defineGates, defineHandlers } from "../define.js";

const gates = defineGates([
  {
    id: "cause_identified",
    question: "Cause of the drop identified?",
    gate_type: "boolean",
    required: true,
  },
  {
    id: "drop_cause",
    question: "What is behind the drop?",
    gate_type: "select",
    options: [
      "Lower usage",
      "Support issues",
      "Champion or team change",
      "Payment issue",
      "Product gap",
      "Seasonal",
      "Data issue",
      "Other",
    ],
    required: true,
  },
  {
    id: "corrective_action_agreed",
    question: "Corrective action agreed with an owner and date?",
    gate_type: "boolean",
    required: true,
  },
  {
    id: "churn_risk_confirmed",
    question: "Is the churn risk real (escalate to At-Risk Recovery)?",
    gate_type: "boolean",
    required: true,
  },
  { id: "action_notes", question: "Corrective action notes", gate_type: "text", required: false },
]);

export const healthScoreDrop: CatalogEntry = {
  task_type: {
    slug: "health_score_drop",
    name: "Health Score Drop Alert",
    description:
      "The health score fell by 10 or more points within 14 days, or churn risk was flagged. Find the cause and agree on a correction before it becomes churn risk.",
    category: "retention",
    default_priority: "high",
    sla_hours: 24,
    required_outcomes: ["cause_identified", "corrective_action_agreed"],
    quality_gates: gates,
    auto_trigger_conditions: {
      rule: "health_score_drop",
      min_drop_points: 10,
      within_days: 14,
      on_events: ["churn.risk_flagged"],
    },
    is_active: true,
  },
  playbook: {
    task_type_slug: "health_score_drop",
    name: "Health Score Drop Alert",
    version: "1.0",
    objective:
      "Find out why the health score fell, confirm whether the risk is real, and agree on a corrective action before it becomes churn",
    context_fields: [
      "health_score_history",
      "score_breakdown",
      "usage_trend",
      "last_login",
      "recent_tickets",
      "ticket_sentiment",
      "payment_status",
      "stakeholder_changes",
    ],
    opening_script:
      "Hi [name], this is [csm] from [company]. I keep an eye on how your team is doing with [product], and I noticed [specific change—fewer logins/a drop in usage/more support tickets] over the last couple of weeks. I wanted to check in before anything turns into a bigger problem. Has something changed on your side?",
    key_questions: [
      "Has anything changed in your team, priorities or processes recently?",
      "Is anything in [product] not working the way you need it to?",
      "Are the people who used it most still in the same roles?",
      "Is there an open support issue that's slowing you down?",
      "What would help your team get back on track?",
    ],
    objection_handlers: defineHandlers([
      {
        id: "just_busy",
        trigger: "Everything's fine, we're just busy",
        response:
          "Good to hear nothing's wrong. Busy periods are often when [product] should save you the most time. Is there one thing we could take off your plate right now?",
      },
      {
        id: "champion_left",
        trigger: "We reorganized / our main user left",
        response:
          "Thanks for telling me. Who's taking over [champion]'s work? I'd like to get them set up and trained so nothing stalls.",
      },
      {
        id: "support_unresolved",
        trigger: "Your support hasn't resolved our issue",
        response:
          "I'm sorry, that shouldn't happen. I'll take ownership: I'm escalating [ticket_id] today and will update you by [time].",
      },
      {
        id: "evaluating_alternatives",
        trigger: "We're evaluating other tools",
        response:
          "I appreciate you telling me. What's prompting the look? If there's a gap, I'd like the chance to show you how we handle it or what's on our roadmap.",
      },
    ]),
    success_criteria:
      "Cause of the drop identified and logged, corrective action agreed with an owner and a date, or the task escalated to At-Risk Recovery when churn risk is confirmed",
    quality_gates: gates,
    estimated_duration_minutes: 20,
    is_active: true,
  },
};
