/**
 * The day-90 QBR: the first business review, results against the customer's original goals. Pure data.
 */
import { type CatalogEntry, defineGates, defineHandlers } from "../define.js";

const gates = defineGates([
  {
    id: "goals_reviewed",
    question: "Were the customer's original goals reviewed against results?",
    gate_type: "boolean",
    required: true,
  },
  {
    id: "value_rating",
    question: "How clearly does the customer see value? (1 = none, 5 = clear, measurable ROI)",
    gate_type: "rating",
    required: true,
  },
  {
    id: "next_quarter_goals_agreed",
    question: "Were goals for the next quarter agreed?",
    gate_type: "boolean",
    required: true,
  },
  {
    id: "executive_sponsor",
    question: "Has the executive sponsor seen the results?",
    gate_type: "select",
    options: ["Attended", "Summary sent", "Meeting scheduled", "Not engaged"],
    required: true,
  },
  {
    id: "renewal_outlook",
    question: "What is the renewal outlook?",
    gate_type: "select",
    options: ["Likely", "Uncertain", "Unlikely"],
    required: true,
  },
  { id: "risks_and_asks", question: "Risks raised and customer asks", gate_type: "text", required: false },
]);

export const day90Qbr: CatalogEntry = {
  task_type: {
    slug: "day_90_qbr",
    name: "Day 90 QBR",
    description:
      "The first business review, 90 days after signup: results against the customer's original goals, agreed goals for the next quarter, and the executive sponsor informed.",
    category: "retention",
    default_priority: "high",
    sla_hours: 48,
    required_outcomes: ["value_documented", "next_quarter_goals_agreed"],
    quality_gates: gates,
    auto_trigger_conditions: { rule: "signup_milestone", days_since_signup: 90, window_days: 3 },
    is_active: true,
  },
  playbook: {
    task_type_slug: "day_90_qbr",
    name: "Day 90 QBR",
    version: "1.0",
    objective:
      "Review the first 90 days against the customer's goals, prove the value delivered, and agree on goals for the next quarter",
    context_fields: [
      "signup_date",
      "original_goals",
      "health_score_history",
      "adoption_metrics",
      "roi_metrics",
      "support_summary",
      "stakeholders",
      "renewal_date",
    ],
    opening_script:
      "Hi [name], thanks for making the time. It's been 90 days since you started with [company], so I'd like to look back at what you set out to achieve, share the results we've seen, and agree together on goals for the next quarter. When you signed up, you told us [original_goal]. How would you say that's going?",
    key_questions: [
      "Which of the goals you started with have you reached, and which not yet?",
      "What results can you point to so far (time saved, revenue, fewer errors)?",
      "Who else in your organization should see these results?",
      "What are your priorities for the next quarter, and how can we support them?",
      "If you had to decide on renewal today, what would weigh for and against?",
    ],
    objection_handlers: defineHandlers([
      {
        id: "not_enough_results",
        trigger: "We haven't seen enough results yet",
        response:
          "Thanks for being straight with me. Let's pin down which result matters most to you and what's in the way; I'll come back with a plan to get you there by [date].",
      },
      {
        id: "sponsor_unavailable",
        trigger: "Our executive sponsor can't attend",
        response:
          "Understood. I'll send a one-page summary of the results for [sponsor]. Could we get 15 minutes on their calendar in the next two weeks to walk through it?",
      },
      {
        id: "no_formal_review_needed",
        trigger: "We don't need a formal review",
        response:
          "Fair enough, let's keep it light. I'd just like ten minutes to agree on what success looks like next quarter, so we focus our help where it counts.",
      },
      {
        id: "priorities_changed",
        trigger: "Our priorities have changed",
        response:
          "That's important for us to know. What's the new priority? Let's look at how [product] can support it and adjust your success plan.",
      },
    ]),
    success_criteria:
      "Value delivered documented against the original goals, next-quarter goals agreed, and the executive sponsor has seen the results (or a date is set)",
    quality_gates: gates,
    estimated_duration_minutes: 45,
    is_active: true,
  },
};
