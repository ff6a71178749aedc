/**
 * Expansion opportunity: qualify a seats, module or integration signal and hand it to the account
 * executive. Pure data.
 */
import { type CatalogEntry, defineGates, defineHandlers } from "../define.js";

const gates = defineGates([
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
]);

export const expansionOpportunity: CatalogEntry = {
  task_type: {
    slug: "expansion_opportunity",
    name: "Expansion Opportunity",
    description:
      "An expansion signal was identified (seats, module or integration). Qualify the need, the buyer and the timeline, and hand a qualified opportunity to the account executive.",
    category: "expansion",
    default_priority: "standard",
    sla_hours: 72,
    required_outcomes: ["opportunity_qualified_and_handed_off", "opportunity_declined_with_reason"],
    quality_gates: gates,
    auto_trigger_conditions: { rule: "event", on_events: ["expansion.identified"] },
    is_active: true,
  },
  playbook: {
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
    quality_gates: gates,
    estimated_duration_minutes: 30,
    is_active: true,
  },
};
