/**
 * Onboarding stall recovery: an onboarding customer with no setup step done for a week gets a call
 * to finish the missing step on the spot, or a concrete follow-up within 48 hours. Pure data.
 */
import { type CatalogEntry, defineGates, defineHandlers } from "../define.js";

const gates = defineGates([
  {
    id: "missing_step_completed",
    question: "Did customer complete the missing step?",
    gate_type: "boolean",
    required: true,
  },
  {
    id: "blocker",
    question: "If not completed, what is the specific blocker?",
    gate_type: "text",
    required: false,
  },
  { id: "follow_up_scheduled", question: "Is follow-up scheduled?", gate_type: "boolean", required: true },
]);

export const onboardingStall: CatalogEntry = {
  task_type: {
    slug: "onboarding_stall",
    name: "Onboarding Stall Recovery",
    description:
      "An onboarding customer has not completed a setup step for a week. Call to get the missing step done, or a concrete follow-up booked, before the stall turns into a failed onboarding.",
    category: "onboarding",
    default_priority: "urgent",
    sla_hours: 24,
    required_outcomes: ["missing_step_completed", "follow_up_scheduled_within_48h"],
    quality_gates: gates,
    auto_trigger_conditions: { rule: "onboarding_stall", account_status: "Onboarding", stalled_days: 7 },
    is_active: true,
  },
  playbook: {
    task_type_slug: "onboarding_stall",
    name: "Onboarding Stall Recovery",
    version: "1.0",
    objective: "Get customer to complete [missing_step] today",
    context_fields: ["signup_date", "completed_steps", "missing_steps", "last_contact", "customer_notes"],
    opening_script:
      "Hi [name], this is [csm] from [company]. I noticed you started setup but haven't gotten to [missing_step] yet. That's actually the part that [value_prop]. Do you have 10 minutes? I can walk you through it now.",
    key_questions: [
      "What's been keeping you from completing setup?",
      "Is there anything confusing about the process?",
      "What are you hoping to achieve with our product?",
    ],
    objection_handlers: defineHandlers([
      {
        id: "busy_or_traveling",
        trigger: "Been busy/traveling",
        response:
          "Totally understand. The [step] takes just [X] minutes—can we knock it out right now while we're talking?",
      },
      {
        id: "do_it_later",
        trigger: "I'll do it later",
        response: "I hear you. The risk is [consequence of delay]. Let's at least [small commitment].",
      },
      {
        id: "technical_issues",
        trigger: "Having technical issues",
        response: "Let me help with that right now. Can you [troubleshooting step]?",
      },
      {
        id: "not_sure_needed",
        trigger: "Not sure I need this",
        response: "That's fair to question. The reason [step] matters is [specific value]. Can I show you?",
      },
    ]),
    success_criteria: "Customer completes missing step OR concrete follow-up scheduled within 48 hours",
    quality_gates: gates,
    estimated_duration_minutes: 15,
    is_active: true,
  },
};
