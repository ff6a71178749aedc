/**
 * The CSM task catalogue: the 9 task types of seed 000 §1.2 and a call playbook for each (the seed's
 * CSMPlaybook with its ObjectionHandlers). The three playbooks of seed Phase 4 (onboarding stall,
 * day 30, at-risk recovery) carry the seed's content; the other six are written to the same standard.
 *
 * Quality gates follow the seed's QualityGate entity (id, question, gate_type, required, options, order).
 * A task type and its playbook share one gate list, so the gates a CSM sees in the playbook are the
 * gates `complete` enforces with validateGateAnswers.
 *
 * The entities' numeric ids (TaskType.id, CSMPlaybook.id, task_type_id) are assigned by the store when it
 * seeds this catalogue; here a playbook names its task type by slug.
 */
import { z } from "zod";
import { TASK_PRIORITIES } from "../domain/priority.js";
import { CHURN_LEVELS } from "../domain/types.js";

// --- enums -------------------------------------------------------------------------------------------

export const TASK_TYPE_SLUGS = [
  "onboarding_stall",
  "day_30_checkin",
  "day_60_checkin",
  "day_90_qbr",
  "at_risk_recovery",
  "health_score_drop",
  "renewal_prep",
  "nps_detractor_followup",
  "expansion_opportunity",
] as const;
export type TaskTypeSlug = (typeof TASK_TYPE_SLUGS)[number];
export const TaskTypeSlugSchema = z.enum(TASK_TYPE_SLUGS);

export const TASK_CATEGORIES = ["onboarding", "adoption", "retention", "expansion", "renewal"] as const;
export type TaskCategory = (typeof TASK_CATEGORIES)[number];

export const GATE_TYPES = ["boolean", "select", "text", "rating"] as const;
export type GateType = (typeof GATE_TYPES)[number];

/** A rating gate is answered on the seed's 5-point scale (RatingScale max={5}). */
export const RATING_MIN = 1;
export const RATING_MAX = 5;

// --- schemas -----------------------------------------------------------------------------------------

export const QualityGateSchema = z
  .strictObject({
    id: z.string().min(1),
    question: z.string().min(1),
    gate_type: z.enum(GATE_TYPES),
    required: z.boolean(),
    /** The choices of a select gate; null for every other gate type. */
    options: z.array(z.string().min(1)).min(1).nullable(),
    order: z.number().int().nonnegative(),
  })
  .superRefine((gate, ctx) => {
    if (gate.gate_type === "select") {
      if (gate.options === null) {
        ctx.addIssue({ code: "custom", path: ["options"], message: "a select gate needs options" });
      } else if (new Set(gate.options).size !== gate.options.length) {
        ctx.addIssue({ code: "custom", path: ["options"], message: "options must be unique" });
      }
    } else if (gate.options !== null) {
      ctx.addIssue({ code: "custom", path: ["options"], message: `a ${gate.gate_type} gate has no options` });
    }
  });
export type QualityGate = z.infer<typeof QualityGateSchema>;

/** A task type's gate list: ids unique. */
export const QualityGatesSchema = z.array(QualityGateSchema).superRefine((gates, ctx) => {
  const seen = new Set<string>();
  for (const gate of gates) {
    if (seen.has(gate.id)) ctx.addIssue({ code: "custom", message: `duplicate gate id "${gate.id}"` });
    seen.add(gate.id);
  }
});

export const ObjectionHandlerSchema = z.strictObject({
  id: z.string().min(1),
  /** What the customer might say. */
  trigger: z.string().min(1),
  /** How to respond. */
  response: z.string().min(1),
  order: z.number().int().nonnegative(),
});
export type ObjectionHandler = z.infer<typeof ObjectionHandlerSchema>;

export const CallPlaybookSchema = z.strictObject({
  task_type_slug: TaskTypeSlugSchema,
  name: z.string().min(1),
  version: z.string().min(1),
  objective: z.string().min(1),
  /** What data to show the CSM next to the script. */
  context_fields: z.array(z.string().min(1)).min(1),
  /** Read aloud with [placeholders] filled from the customer context. */
  opening_script: z.string().min(1),
  key_questions: z.array(z.string().min(1)).min(1),
  objection_handlers: z.array(ObjectionHandlerSchema),
  success_criteria: z.string().min(1),
  quality_gates: QualityGatesSchema,
  estimated_duration_minutes: z.number().int().positive(),
  is_active: z.boolean(),
});
export type CallPlaybook = z.infer<typeof CallPlaybookSchema>;

/**
 * When the generator creates a task of a type (issue 7 item 4), as data. `on_events` lists bus events
 * that also create the task for the event's account.
 */
export const AutoTriggerConditionsSchema = z.discriminatedUnion("rule", [
  z.strictObject({
    /** An onboarding account with no onboarding step completed for `stalled_days`. */
    rule: z.literal("onboarding_stall"),
    account_status: z.literal("Onboarding"),
    stalled_days: z.number().int().positive(),
  }),
  z.strictObject({
    /** Days since signup within `window_days` of the milestone day. */
    rule: z.literal("signup_milestone"),
    days_since_signup: z.number().int().positive(),
    window_days: z.number().int().nonnegative(),
  }),
  z.strictObject({
    rule: z.literal("churn_risk"),
    churn_risk_in: z.array(z.enum(CHURN_LEVELS)).min(1),
  }),
  z.strictObject({
    /** The CSM health score fell by at least `min_drop_points` within `within_days`. */
    rule: z.literal("health_score_drop"),
    min_drop_points: z.number().positive(),
    within_days: z.number().int().positive(),
    on_events: z.array(z.string().min(1)),
  }),
  z.strictObject({
    rule: z.literal("renewal_window"),
    days_to_renewal_max: z.number().int().positive(),
  }),
  z.strictObject({
    /** An NPS response at or below `nps_max` given within the last `within_days`. */
    rule: z.literal("nps_detractor"),
    nps_max: z.number().int().min(0).max(10),
    within_days: z.number().int().positive(),
  }),
  z.strictObject({
    rule: z.literal("event"),
    on_events: z.array(z.string().min(1)).min(1),
  }),
]);
export type AutoTriggerConditions = z.infer<typeof AutoTriggerConditionsSchema>;

export const TaskTypeDefinitionSchema = z.strictObject({
  slug: TaskTypeSlugSchema,
  name: z.string().min(1),
  description: z.string().min(1),
  category: z.enum(TASK_CATEGORIES),
  default_priority: z.enum(TASK_PRIORITIES),
  sla_hours: z.number().int().positive(),
  /** The outcomes that count as this task's objective achieved (any one of them). */
  required_outcomes: z.array(z.string().min(1)).min(1),
  quality_gates: QualityGatesSchema,
  auto_trigger_conditions: AutoTriggerConditionsSchema,
  is_active: z.boolean(),
});
export type TaskTypeDefinition = z.infer<typeof TaskTypeDefinitionSchema>;

// --- builders ----------------------------------------------------------------------------------------

type GateSpec =
  | { id: string; question: string; gate_type: "boolean" | "text" | "rating"; required: boolean }
  | { id: string; question: string; gate_type: "select"; required: boolean; options: string[] };

function defineGates(specs: GateSpec[]): QualityGate[] {
  return specs.map((spec, i) => ({
    id: spec.id,
    question: spec.question,
    gate_type: spec.gate_type,
    required: spec.required,
    options: spec.gate_type === "select" ? spec.options : null,
    order: i + 1,
  }));
}

function defineHandlers(specs: Array<{ id: string; trigger: string; response: string }>): ObjectionHandler[] {
  return specs.map((spec, i) => ({ ...spec, order: i + 1 }));
}

// --- quality gates -----------------------------------------------------------------------------------

const YES_NO_UNSURE = ["Yes", "No", "Unsure"];

const GATES: Readonly<Record<TaskTypeSlug, QualityGate[]>> = {
  // Seed Phase 4.1
  onboarding_stall: defineGates([
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
  ]),
  // Seed Phase 4.2
  day_30_checkin: defineGates([
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
  ]),
  day_60_checkin: defineGates([
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
  ]),
  day_90_qbr: defineGates([
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
  ]),
  // Seed Phase 4.3
  at_risk_recovery: defineGates([
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
  ]),
  health_score_drop: defineGates([
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
  ]),
  renewal_prep: defineGates([
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
  ]),
  nps_detractor_followup: defineGates([
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
  ]),
  expansion_opportunity: defineGates([
    { id: "need_confirmed", question: "Customer confirmed the need?", gate_type: "boolean", required: true },
    {
      id: "expansion_type",
      question: "What kind of expansion?",
      gate_type: "select",
      options: ["Seats", "Module", "Integration", "Other"],
      required: true,
    },
    {
      id: "buyer_identified",
      question: "Buyer and decision process identified?",
      gate_type: "boolean",
      required: true,
    },
    {
      id: "timeline",
      question: "When does the customer want to act?",
      gate_type: "select",
      options: ["This month", "This quarter", "Next quarter", "No timeline"],
      required: true,
    },
    {
      id: "handed_to_account_executive",
      question: "Qualified opportunity handed to the account executive?",
      gate_type: "boolean",
      required: true,
    },
    {
      id: "opportunity_notes",
      question: "Estimated ARR impact and notes",
      gate_type: "text",
      required: false,
    },
  ]),
};

// --- task types (seed §1.2) --------------------------------------------------------------------------

export const TASK_TYPES: ReadonlyArray<TaskTypeDefinition> = [
  {
    slug: "onboarding_stall",
    name: "Onboarding Stall Recovery",
    description:
      "An onboarding customer has not completed a setup step for a week. Call to get the missing step done, or a concrete follow-up booked, before the stall turns into a failed onboarding.",
    category: "onboarding",
    default_priority: "urgent",
    sla_hours: 24,
    required_outcomes: ["missing_step_completed", "follow_up_scheduled_within_48h"],
    quality_gates: GATES.onboarding_stall,
    auto_trigger_conditions: { rule: "onboarding_stall", account_status: "Onboarding", stalled_days: 7 },
    is_active: true,
  },
  {
    slug: "day_30_checkin",
    name: "Day 30 Check-in",
    description:
      "One month after signup: confirm the customer is realizing value and catch friction early, while it is still cheap to fix.",
    category: "adoption",
    default_priority: "high",
    sla_hours: 48,
    required_outcomes: ["value_confirmed", "friction_logged_for_follow_up"],
    quality_gates: GATES.day_30_checkin,
    auto_trigger_conditions: { rule: "signup_milestone", days_since_signup: 30, window_days: 3 },
    is_active: true,
  },
  {
    slug: "day_60_checkin",
    name: "Day 60 Check-in",
    description:
      "Two months after signup: deepen adoption by agreeing on the next feature, use case or user group to bring on, and clear the blockers that keep usage shallow.",
    category: "adoption",
    default_priority: "standard",
    sla_hours: 72,
    required_outcomes: ["adoption_plan_agreed", "adoption_blocker_owned"],
    quality_gates: GATES.day_60_checkin,
    auto_trigger_conditions: { rule: "signup_milestone", days_since_signup: 60, window_days: 3 },
    is_active: true,
  },
  {
    slug: "day_90_qbr",
    name: "Day 90 QBR",
    description:
      "The first business review, 90 days after signup: results against the customer's original goals, agreed goals for the next quarter, and the executive sponsor informed.",
    category: "retention",
    default_priority: "high",
    sla_hours: 48,
    required_outcomes: ["value_documented", "next_quarter_goals_agreed"],
    quality_gates: GATES.day_90_qbr,
    auto_trigger_conditions: { rule: "signup_milestone", days_since_signup: 90, window_days: 3 },
    is_active: true,
  },
  {
    slug: "at_risk_recovery",
    name: "At-Risk Recovery",
    description:
      "The customer's churn risk is high or critical. Understand the root cause, take a recovery action and schedule the follow-up that prevents churn.",
    category: "retention",
    default_priority: "urgent",
    sla_hours: 24,
    required_outcomes: ["root_cause_identified", "recovery_action_taken", "follow_up_scheduled"],
    quality_gates: GATES.at_risk_recovery,
    auto_trigger_conditions: { rule: "churn_risk", churn_risk_in: ["high", "critical"] },
    is_active: true,
  },
  {
    slug: "health_score_drop",
    name: "Health Score Drop Alert",
    description:
      "The health score fell by 10 or more points within 14 days, or churn risk was flagged. Find the cause and agree on a correction before it becomes churn risk.",
    category: "retention",
    default_priority: "high",
    sla_hours: 24,
    required_outcomes: ["cause_identified", "corrective_action_agreed"],
    quality_gates: GATES.health_score_drop,
    auto_trigger_conditions: {
      rule: "health_score_drop",
      min_drop_points: 10,
      within_days: 14,
      on_events: ["churn.risk_flagged"],
    },
    is_active: true,
  },
  {
    slug: "renewal_prep",
    name: "Renewal Preparation",
    description:
      "The renewal is within 90 days. Confirm the decision-maker and timeline, recap the value delivered, and surface risks and expansion while there is time to act.",
    category: "renewal",
    default_priority: "urgent",
    sla_hours: 48,
    required_outcomes: ["decision_process_confirmed", "next_step_to_signature_scheduled"],
    quality_gates: GATES.renewal_prep,
    auto_trigger_conditions: { rule: "renewal_window", days_to_renewal_max: 90 },
    is_active: true,
  },
  {
    slug: "nps_detractor_followup",
    name: "NPS Detractor Follow-up",
    description:
      "The customer answered NPS with 6 or less in the last 30 days. Close the loop personally: understand the score, own it, and agree on a concrete fix.",
    category: "retention",
    default_priority: "urgent",
    sla_hours: 24,
    required_outcomes: ["reason_understood", "corrective_action_agreed"],
    quality_gates: GATES.nps_detractor_followup,
    auto_trigger_conditions: { rule: "nps_detractor", nps_max: 6, within_days: 30 },
    is_active: true,
  },
  {
    slug: "expansion_opportunity",
    name: "Expansion Opportunity",
    description:
      "An expansion signal was identified (seats, module or integration). Qualify the need, the buyer and the timeline, and hand a qualified opportunity to the account executive.",
    category: "expansion",
    default_priority: "standard",
    sla_hours: 72,
    required_outcomes: ["opportunity_qualified_and_handed_off", "opportunity_declined_with_reason"],
    quality_gates: GATES.expansion_opportunity,
    auto_trigger_conditions: { rule: "event", on_events: ["expansion.identified"] },
    is_active: true,
  },
];

// --- call playbooks ----------------------------------------------------------------------------------

export const CALL_PLAYBOOKS: Readonly<Record<TaskTypeSlug, CallPlaybook>> = {
  // Seed Phase 4.1
  onboarding_stall: {
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
    quality_gates: GATES.onboarding_stall,
    estimated_duration_minutes: 15,
    is_active: true,
  },
  // Seed Phase 4.2. The seed lists no objection handlers for this call; the two below are additions so
  // that every playbook helps with the answers a CSM actually hears at day 30.
  day_30_checkin: {
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
    quality_gates: GATES.day_30_checkin,
    estimated_duration_minutes: 20,
    is_active: true,
  },
  day_60_checkin: {
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
    quality_gates: GATES.day_60_checkin,
    estimated_duration_minutes: 25,
    is_active: true,
  },
  day_90_qbr: {
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
    quality_gates: GATES.day_90_qbr,
    estimated_duration_minutes: 45,
    is_active: true,
  },
  // Seed Phase 4.3
  at_risk_recovery: {
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
    quality_gates: GATES.at_risk_recovery,
    estimated_duration_minutes: 30,
    is_active: true,
  },
  health_score_drop: {
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
    quality_gates: GATES.health_score_drop,
    estimated_duration_minutes: 20,
    is_active: true,
  },
  renewal_prep: {
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
    quality_gates: GATES.renewal_prep,
    estimated_duration_minutes: 30,
    is_active: true,
  },
  nps_detractor_followup: {
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
    quality_gates: GATES.nps_detractor_followup,
    estimated_duration_minutes: 20,
    is_active: true,
  },
  expansion_opportunity: {
    task_type_slug: "expansion_opportunity",
    name: "Expansion Opportunity",
    version: "1.0",
    objective:
      "Qualify the expansion signal (need, value, buyer, timeline) and hand a qualified opportunity to the account executive",
    context_fields: [
      "expansion_signal",
      "evidence",
      "seats_purchased",
      "seats_used",
      "feature_usage",
      "modules",
      "arr",
      "health_score",
      "account_executive",
    ],
    opening_script:
      "Hi [name], it's [csm] from [company]. I noticed [signal—your team is close to its seat limit/you're using [feature] heavily/you asked about [module]], which usually means things are going well. I wanted to hear how you're planning to grow so we can make sure [product] keeps up. Do you have a few minutes?",
    key_questions: [
      "What's driving the growth in usage on your side?",
      "Are there other teams or use cases that could benefit?",
      "What problem would [more seats/module/integration] solve for you, and what is it costing you today?",
      "Who would be involved in a decision to add to your plan, and when is your budget cycle?",
      "What timeline are you working toward?",
    ],
    objection_handlers: defineHandlers([
      {
        id: "no_budget",
        trigger: "We don't have budget right now",
        response:
          "Understood. When does your next budget cycle start? I can prepare the business case now so it's ready for [budget_date].",
      },
      {
        id: "happy_as_is",
        trigger: "We're happy with what we have",
        response:
          "Great to hear, and I'm not here to push anything. Teams at your stage often [benefit]; if that becomes relevant, I'm here.",
      },
      {
        id: "just_send_pricing",
        trigger: "Just send me pricing",
        response:
          "Happy to. So it's the right option, can I ask two quick questions about [use_case] and the number of users? Then [account_executive] will send a tailored quote.",
      },
      {
        id: "needs_it_security_review",
        trigger: "We'd need to check with IT/security first",
        response:
          "Makes sense. Who should we involve? I can share our [security_documentation] and set up a call with our technical team.",
      },
    ]),
    success_criteria:
      "Need and value confirmed, buyer and timeline identified, and a qualified opportunity handed to the account executive (or declined with the reason logged)",
    quality_gates: GATES.expansion_opportunity,
    estimated_duration_minutes: 30,
    is_active: true,
  },
};

export function getTaskType(slug: TaskTypeSlug): TaskTypeDefinition {
  const found = TASK_TYPES.find((t) => t.slug === slug);
  if (!found) throw new Error(`Unknown task type "${slug}"`);
  return found;
}

export function getCallPlaybook(slug: TaskTypeSlug): CallPlaybook {
  return CALL_PLAYBOOKS[slug];
}

export function isTaskTypeSlug(value: string): value is TaskTypeSlug {
  return (TASK_TYPE_SLUGS as readonly string[]).includes(value);
}

// --- gate answers ------------------------------------------------------------------------------------

export type GateProblemCode = "missing" | "invalid" | "unknown";

export interface GateError {
  /** The gate id (or, for an unknown answer, its key). */
  gate: string;
  code: GateProblemCode;
  problem: string;
}

export type GateValidationResult = { ok: true } | { ok: false; errors: GateError[] };

/** Null, undefined or a blank string: the gate was left unanswered. */
const isUnanswered = (value: unknown): boolean =>
  value === undefined || value === null || (typeof value === "string" && value.trim() === "");

function answerProblem(gate: QualityGate, value: unknown): string | null {
  switch (gate.gate_type) {
    case "boolean":
      return typeof value === "boolean" ? null : "must be true or false";
    case "select": {
      const options = gate.options ?? [];
      return typeof value === "string" && options.includes(value)
        ? null
        : `must be one of: ${options.map((o) => JSON.stringify(o)).join(", ")}`;
    }
    case "text":
      return typeof value === "string" ? null : "must be a non-empty string";
    case "rating":
      return typeof value === "number" &&
        Number.isInteger(value) &&
        value >= RATING_MIN &&
        value <= RATING_MAX
        ? null
        : `must be an integer from ${RATING_MIN} to ${RATING_MAX}`;
  }
}

/**
 * Checks quality-gate answers (keyed by gate id) against the gates, by type: boolean a boolean, select
 * one of its options, text a non-empty string, rating an integer 1-5. Lists every problem at once, in
 * gate order, then the answers to gates that do not exist. A required gate left unanswered (missing,
 * null or blank) is "missing"; an optional one may be left unanswered, but an answer given is checked.
 */
export function validateGateAnswers(
  gates: ReadonlyArray<QualityGate>,
  answers: Record<string, unknown>,
): GateValidationResult {
  const errors: GateError[] = [];
  const ordered = [...gates].sort((a, b) => a.order - b.order);
  for (const gate of ordered) {
    const value = Object.hasOwn(answers, gate.id) ? answers[gate.id] : undefined;
    if (isUnanswered(value)) {
      if (gate.required)
        errors.push({ gate: gate.id, code: "missing", problem: `required: ${gate.question}` });
      continue;
    }
    const problem = answerProblem(gate, value);
    if (problem !== null) errors.push({ gate: gate.id, code: "invalid", problem });
  }
  const known = new Set(gates.map((g) => g.id));
  for (const key of Object.keys(answers)) {
    if (!known.has(key)) errors.push({ gate: key, code: "unknown", problem: "no such quality gate" });
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}
