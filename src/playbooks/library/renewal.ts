import type { DefinitionInput } from "../schema/definition.js";

/**
 * Renewal: 90-day prep -> QBR -> proposal -> negotiation -> close. Starts 90 days before the
 * renewal date; the QBR is written by the Customer Success agent; the proposal goes out 60 days out.
 */
export const renewalPlaybook: DefinitionInput = {
  name: "Renewal",
  description:
    "Starts 90 days before renewal: prepares the renewal, writes and presents a QBR, sends the proposal at 60 days, follows up when there is no answer, briefs the account executive for negotiation and runs the close checklist two weeks out.",
  priority: 70,
  on_failure: "continue",
  triggers: [{ type: "manual" }, { type: "time", anchor: "renewal_date", when: "before", days: 90 }],
  steps: [
    {
      id: "renewal_prep",
      name: "90-day renewal preparation",
      type: "task",
      task_type: "renewal_prep",
      due_in_days: 5,
      note: "{{customer.name}} renews on {{renewal_date}} ({{currency customer.arr}} ARR, {{customer.seats_used}} of {{customer.seats_purchased}} seats in use). Confirm the decision maker and budget owner, review open tickets and usage, and note any risk or expansion for the QBR.",
    },
    {
      id: "qbr",
      name: "Write the QBR",
      type: "agent_action",
      agent_id: "customer-success",
      task: { type: "generate_qbr", trigger: "contract_proximity" },
    },
    {
      id: "qbr_meeting",
      name: "Present the QBR",
      type: "meeting",
      title: "{{customer.name}} business review",
      agenda: `1. The value delivered this year against your goals
2. Adoption and usage across your teams
3. What's ahead on our roadmap that matters to you
4. Your priorities for next year, and the renewal timeline ({{renewal_date}})`,
      attendees: ["customer", "csm", "account_executive"],
      duration_minutes: 45,
      task_type: "day_90_qbr",
    },
    {
      id: "until_proposal",
      name: "Wait until 60 days before renewal",
      type: "wait",
      until: { anchor: "renewal_date", offset_days: -60 },
    },
    {
      id: "proposal",
      name: "Renewal proposal",
      type: "email",
      require_approval: true,
      to: "customer",
      cc: ["account_executive"],
      subject: "{{customer.name}} renewal proposal ({{renewal_date}})",
      body: `Hi {{contact.name}},

Thank you for the time at our business review. As promised, here is the renewal proposal for {{customer.name}}, ahead of your renewal on {{renewal_date}}.

It covers your current {{customer.seats_purchased}} seats and the modules you use today, with the terms we discussed. {{account_executive.name}} is copied and can walk you and your procurement team through the details.

Could you let us know by the end of next week whether the proposal works for you, or what you'd like us to change?

Best regards,
{{csm.name}}`,
    },
    {
      id: "proposal_window",
      name: "A week for the customer to answer",
      type: "wait",
      duration: { days: 7 },
    },
    {
      id: "answered",
      name: "Did the customer answer the proposal?",
      type: "condition",
      condition: { fact: "response_received", op: "eq", value: true },
      if_true: "negotiation_brief",
      if_false: "proposal_followup",
    },
    {
      id: "proposal_followup",
      name: "Follow up on the proposal",
      type: "email",
      require_approval: true,
      to: "customer",
      cc: ["account_executive"],
      subject: "Following up: {{customer.name}} renewal",
      body: `Hi {{contact.name}},

I wanted to make sure the renewal proposal reached you. Your renewal date is {{renewal_date}}, {{days_to_renewal}} days from today, and I'd like to leave enough time for your review and procurement steps.

Is there anything in the proposal you'd like to discuss, or someone else we should include?

{{csm.name}}`,
    },
    {
      id: "negotiation_brief",
      name: "Brief the account executive for negotiation",
      type: "email",
      to: "account_executive",
      cc: ["csm"],
      subject: "Negotiation brief: {{customer.name}} renews {{renewal_date}}",
      body: `{{customer.name}}: {{currency customer.arr}} ARR, {{customer.tier}} tier, renewal on {{renewal_date}} ({{days_to_renewal}} days).

Health {{default customer.health_score "not scored"}} ({{default customer.health_rag "no RAG"}}), churn risk {{default customer.churn_risk "unknown"}}, {{customer.seats_used}} of {{customer.seats_purchased}} seats in use, feature adoption {{percent customer.feature_adoption}}, NPS {{default customer.nps "not surveyed"}}.

The QBR and the proposal are with the customer. {{csm.name}} owns the relationship; please lead the commercial conversation from here and keep the renewal task up to date.`,
    },
    {
      id: "until_close",
      name: "Wait until two weeks before renewal",
      type: "wait",
      until: { anchor: "renewal_date", offset_days: -14 },
    },
    {
      id: "close_checklist",
      name: "Close checklist",
      type: "email",
      to: "account_executive",
      cc: ["csm"],
      subject: "Renewal close checklist: {{customer.name}} ({{days_to_renewal}} days left)",
      body: `{{customer.name}} renews on {{renewal_date}}. Before then:

- Order form signed by the budget owner
- Purchase order number received, if their procurement needs one
- Seat count and modules confirmed ({{customer.seats_purchased}} seats today)
- Billing contact and invoice schedule confirmed
- Next year's success plan shared with the customer

If any of these is at risk, tell {{csm.name}} today.`,
    },
  ],
};
