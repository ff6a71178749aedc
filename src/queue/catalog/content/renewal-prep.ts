/**
 * Renewal preparation: the renewal is within 90 days; decision-maker, timeline, value, risks. Pure data.
 */
import { type CatalogEntry, defineGates, defineHandlers } from "../define.js";

const gates = defineGates([
  {
    id: "decision_maker_confirmed",
    question: "Renewal decision-maker confirmed?",
    gate_type: "boolean",
    required: true,
  },
  {
    id: "timeline_confirmed",
    question: "Renewal process and timeline confirmed?",
    gate_type: "boolean",
    required: true,
  },
  {
    id: "renewal_likelihood",
    question: "How likely is the renewal?",
    gate_type: "select",
    options: ["Committed", "Likely", "At risk", "Will not renew"],
    required: true,
  },
  {
    id: "expansion_discussed",
    question: "Expansion or right-sizing discussed?",
    gate_type: "boolean",
    required: true,
  },
  {
    id: "next_step_scheduled",
    question: "Next step toward signature scheduled?",
    gate_type: "boolean",
    required: true,
  },
  {
    id: "renewal_risks",
    question: "Renewal risks and commercial asks",
    gate_type: "text",
    required: false,
  },
]);

export const renewalPrep: CatalogEntry = {
  task_type: {
    slug: "renewal_prep",
    name: "Renewal Preparation",
    description:
      "The renewal is within 90 days. Confirm the decision-maker and timeline, recap the value delivered, and surface risks and expansion while there is time to act.",
    category: "renewal",
    default_priority: "urgent",
    sla_hours: 48,
    required_outcomes: ["decision_process_confirmed", "next_step_to_signature_scheduled"],
    quality_gates: gates,
    auto_trigger_conditions: { rule: "renewal_window", days_to_renewal_max: 90 },
    is_active: true,
  },
  playbook: {
    task_type_slug: "renewal_prep",
    name: "Renewal Preparation",
    version: "1.0",
    objective:
      "Secure the renewal: confirm the decision process and timeline, recap the value delivered, and surface risks and expansion before [renewal_date]",
    context_fields: [
      "renewal_date",
      "arr",
      "contract_terms",
      "health_score",
      "churn_risk",
      "adoption_metrics",
      "seats_purchased",
      "seats_used",
      "decision_makers",
      "open_tickets",
    ],
    opening_script:
      "Hi [name], it's [csm] from [company]. Your renewal comes up on [renewal_date], and I'd like to make sure it goes smoothly for you. Could we spend 20 minutes on what you've achieved this year, what's ahead for your team, and what the renewal process looks like on your side?",
    key_questions: [
      "Who is involved in the renewal decision, and what does your approval process look like?",
      "Which results from this year matter most to the people signing off?",
      "Are there any concerns that could affect the renewal?",
      "Do your seat count and plan still match how your team works?",
      "What's changing in your business next year that we should plan for?",
    ],
    objection_handlers: defineHandlers([
      {
        id: "budget_tight",
        trigger: "We need to cut costs / budget is tight",
        response:
          "I understand. Let's look at what you actually use and the value it brings; if a different plan fits better, I'd rather find it with you than lose you.",
      },
      {
        id: "discuss_internally",
        trigger: "We need to discuss internally first",
        response:
          "Of course. What would help that discussion? I can prepare a short value summary for [decision_maker] and join a call to answer questions.",
      },
      {
        id: "looking_at_alternatives",
        trigger: "We're looking at alternatives",
        response:
          "Thanks for being open. What matters most in your evaluation? I'd like to make sure you're comparing against everything you get today, including [key_value].",
      },
      {
        id: "wants_discount",
        trigger: "We want a discount to renew",
        response:
          "I hear you. I can't promise a number on this call, but let me understand what you need and take it to [account_executive]. A longer term or [commitment] may open options.",
      },
      {
        id: "procurement_handles_it",
        trigger: "Procurement handles renewals, not me",
        response:
          "Thanks. Could you introduce me to your procurement contact? I'll keep you copied so nothing surprises you.",
      },
    ]),
    success_criteria:
      "Decision-maker and timeline confirmed, risks addressed or escalated to the account executive, and the next step toward signature scheduled",
    quality_gates: gates,
    estimated_duration_minutes: 30,
    is_active: true,
  },
};
