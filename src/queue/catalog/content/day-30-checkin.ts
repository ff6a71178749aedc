/**
 * The day-30 check-in: a month after signup, confirm value and catch friction while it is cheap to
 * fix. Its two objection handlers cover the answers a CSM most often hears at day 30. Pure data.
 */
import { type CatalogEntry, defineGates, defineHandlers, YES_NO_UNSURE } from "../define.js";

const gates = defineGates([
  {
    id: "value_confirmed",
    question: "Did customer confirm value received?",
    gate_type: "boolean",
    required: true,
  },
  {
    id: "on_track_for_renewal",
    question: "Is customer on track for renewal?",
    gate_type: "select",
    options: YES_NO_UNSURE,
    required: true,
  },
  {
    id: "expansion_identified",
    question: "Any expansion opportunities identified?",
    gate_type: "boolean",
    required: true,
  },
  { id: "expansion_notes", question: "Expansion notes", gate_type: "text", required: false },
]);

export const day30Checkin: CatalogEntry = {
  task_type: {
    slug: "day_30_checkin",
    name: "Day 30 Check-in",
    description:
      "One month after signup: confirm the customer is realizing value and catch friction early, while it is still cheap to fix.",
    category: "adoption",
    default_priority: "high",
    sla_hours: 48,
    required_outcomes: ["value_confirmed", "friction_logged_for_follow_up"],
    quality_gates: gates,
    auto_trigger_conditions: { rule: "signup_milestone", days_since_signup: 30, window_days: 3 },
    is_active: true,
  },
  playbook: {
    task_type_slug: "day_30_checkin",
    name: "Day 30 Check-in",
    version: "1.0",
    objective: "Confirm customer is realizing value, identify any friction",
    context_fields: [
      "signup_date",
      "adoption_metrics",
      "feature_usage",
      "health_score",
      "recent_interactions",
    ],
    opening_script:
      "Hi [name], it's been about a month since you started with us. I wanted to check in and see how things are going. What's been most useful so far?",
    key_questions: [
      "What's been most valuable?",
      "Anything confusing or frustrating?",
      "Anyone else who should have access?",
      "Any upcoming needs we should know about?",
    ],
    objection_handlers: defineHandlers([
      {
        id: "all_fine_nothing_to_discuss",
        trigger: "Everything's fine, nothing to discuss",
        response:
          "Great to hear! So I can help you get even more out of it: which feature do you use most, and is there one you haven't tried yet?",
      },
      {
        id: "not_started_yet",
        trigger: "We haven't really started using it yet",
        response:
          "Thanks for telling me, that's exactly why I called. What's held you back? Let's pick one thing we can get live this week.",
      },
    ]),
    success_criteria: "Customer confirms value OR friction identified and logged for follow-up",
    quality_gates: gates,
    estimated_duration_minutes: 20,
    is_active: true,
  },
};
