/**
 * The day-60 check-in: deepen adoption by agreeing on the next feature, use case or user group. Pure data.
 */
import { type CatalogEntry, defineGates, defineHandlers, YES_NO_UNSURE } from "../define.js";

const gates = defineGates([
  {
    id: "adoption_rating",
    question: "How well is the customer adopting the features tied to their goals? (1 = barely, 5 = fully)",
    gate_type: "rating",
    required: true,
  },
  {
    id: "adoption_plan_agreed",
    question: "Did customer agree on a next feature, use case or user group to adopt, with a date?",
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
    id: "adoption_blocker",
    question: "If adoption is stalled, what is the specific blocker?",
    gate_type: "text",
    required: false,
  },
]);

export const day60Checkin: CatalogEntry = {
  task_type: {
    slug: "day_60_checkin",
    name: "Day 60 Check-in",
    description:
      "Two months after signup: deepen adoption by agreeing on the next feature, use case or user group to bring on, and clear the blockers that keep usage shallow.",
    category: "adoption",
    default_priority: "standard",
    sla_hours: 72,
    required_outcomes: ["adoption_plan_agreed", "adoption_blocker_owned"],
    quality_gates: gates,
    auto_trigger_conditions: { rule: "signup_milestone", days_since_signup: 60, window_days: 3 },
    is_active: true,
  },
  playbook: {
    task_type_slug: "day_60_checkin",
    name: "Day 60 Check-in",
    version: "1.0",
    objective:
      "Deepen adoption: agree on the next feature, use case or user group to bring on, and clear what keeps usage shallow",
    context_fields: [
      "signup_date",
      "adoption_metrics",
      "feature_usage",
      "seats_purchased",
      "seats_used",
      "health_score",
      "day_30_notes",
      "open_tickets",
    ],
    opening_script:
      "Hi [name], it's [csm] from [company]. You're about two months in now. Last time we talked you mentioned [day_30_goal], and looking at your usage I noticed [adoption_observation]. Do you have 15 minutes to look at how you could get more out of [feature]?",
    key_questions: [
      "Which workflows are you running in [product] today, and which still happen outside it?",
      "Is everyone who should be using it actually using it?",
      "Is there a feature you expected to use but haven't started with?",
      "What would make this a clear success by the time renewal comes around?",
      "Has anything changed in your team or goals since we last spoke?",
    ],
    objection_handlers: defineHandlers([
      {
        id: "basics_are_enough",
        trigger: "We only use the basics and that's fine",
        response:
          "That's a good foundation. Teams like yours usually get the biggest gain from [next_feature], which [benefit]. Can I show you in five minutes how it fits what you already do?",
      },
      {
        id: "no_time_to_learn",
        trigger: "My team hasn't had time to learn it",
        response:
          "Understood. I can run a 30-minute session for your team on [feature], or send a short guide on [topic]. Which works better for them?",
      },
      {
        id: "users_dont_see_point",
        trigger: "Some of our users don't see the point",
        response:
          "That helps to know. Who are they and what do they do day to day? I can show them the part of [product] that saves them time on [task].",
      },
      {
        id: "waiting_on_it",
        trigger: "We're still waiting on IT / an integration",
        response:
          "Let me help unblock that. Who owns it on your side? I can get [technical_contact] on a call with them this week.",
      },
    ]),
    success_criteria:
      "Customer commits to a next feature, use case or user group with a date, OR the adoption blocker is identified with an owner and a follow-up scheduled",
    quality_gates: gates,
    estimated_duration_minutes: 25,
    is_active: true,
  },
};
