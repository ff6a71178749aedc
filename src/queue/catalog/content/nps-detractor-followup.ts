/**
 * NPS detractor follow-up: close the loop personally on a score of 6 or less. Pure data.
 */
import { type CatalogEntry, defineGates, defineHandlers } from "../define.js";

const gates = defineGates([
  {
    id: "reason_identified",
    question: "Reason for the score understood?",
    gate_type: "boolean",
    required: true,
  },
  {
    id: "detractor_reason",
    question: "What is the main reason for the low score?",
    gate_type: "select",
    options: [
      "Product gap",
      "Bugs or reliability",
      "Support experience",
      "Onboarding or training",
      "Pricing or value",
      "Relationship",
      "Other",
    ],
    required: true,
  },
  {
    id: "corrective_action_agreed",
    question: "Concrete corrective action agreed with a date?",
    gate_type: "boolean",
    required: true,
  },
  {
    id: "sentiment_after_call",
    question: "How does the customer feel after the call? (1 = still very unhappy, 5 = satisfied)",
    gate_type: "rating",
    required: true,
  },
  {
    id: "feedback_routed",
    question: "Product feedback logged for the product team?",
    gate_type: "boolean",
    required: false,
  },
  {
    id: "follow_up_notes",
    question: "What was promised, by whom and by when",
    gate_type: "text",
    required: false,
  },
]);

export const npsDetractorFollowup: CatalogEntry = {
  task_type: {
    slug: "nps_detractor_followup",
    name: "NPS Detractor Follow-up",
    description:
      "The customer answered NPS with 6 or less in the last 30 days. Close the loop personally: understand the score, own it, and agree on a concrete fix.",
    category: "retention",
    default_priority: "urgent",
    sla_hours: 24,
    required_outcomes: ["reason_understood", "corrective_action_agreed"],
    quality_gates: gates,
    auto_trigger_conditions: { rule: "nps_detractor", nps_max: 6, within_days: 30 },
    is_active: true,
  },
  playbook: {
    task_type_slug: "nps_detractor_followup",
    name: "NPS Detractor Follow-up",
    version: "1.0",
    objective:
      "Close the loop on a detractor score: understand the reason, own it, and agree on a concrete corrective action",
    context_fields: [
      "nps",
      "nps_date",
      "nps_comment",
      "health_score",
      "recent_tickets",
      "ticket_sentiment",
      "recent_interactions",
      "renewal_date",
    ],
    opening_script:
      "Hi [name], this is [csm] from [company]. Thank you for answering our survey on [nps_date]. You gave us a [score], and I wanted to call personally because that tells me we're falling short for you. I'm not calling to defend anything; I'd like to understand what's behind the score. Would you walk me through it?",
    key_questions: [
      "What's the main reason for your score?",
      "When did things start to feel this way?",
      "What would we need to change to earn a higher score from you?",
      "Is this affecting others on your team too?",
      "What would be a good outcome of this call for you?",
    ],
    objection_handlers: defineHandlers([
      {
        id: "already_in_comment",
        trigger: "It's all in the survey comment",
        response:
          "It is, and I've read it: [comment_summary]. I want to be sure I fix the right thing. Can you tell me a bit more about [specific_point]?",
      },
      {
        id: "nothing_will_change",
        trigger: "Nothing will change anyway",
        response:
          "I understand why it might feel that way. Here's what I'll do: [specific_action] by [date], and I'll call you back to confirm. You can hold me to it.",
      },
      {
        id: "no_time",
        trigger: "I don't have time for this",
        response:
          "Understood, I'll be brief. What's the one thing you'd change if you could? I'll take it from there.",
      },
      {
        id: "product_not_you",
        trigger: "The problem is your product, not you",
        response:
          "Fair, and I'll make sure our product team hears it directly. Meanwhile, let me see whether there's a workaround I can set up for you.",
      },
    ]),
    success_criteria:
      "Reason for the score understood and logged, a concrete corrective action agreed with a date, and product feedback routed where relevant",
    quality_gates: gates,
    estimated_duration_minutes: 20,
    is_active: true,
  },
};
