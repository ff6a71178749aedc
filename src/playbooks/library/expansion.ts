import type { DefinitionInput } from "../schema/definition.js";

/**
 * Expansion: opportunity identified -> demo -> proposal -> close. The Customer Success agent
 * finds the evidence-backed opportunity; Sales has the TAM confirm technical readiness; the demo
 * meeting decides whether a proposal follows.
 */
export const expansionPlaybook: DefinitionInput = {
  name: "Expansion",
  description:
    "For a healthy, growing customer: identifies the expansion opportunity with its evidence, checks technical readiness with the TAM, runs a demo, and sends a proposal once the demo was held. Lowest priority: it yields to at-risk, renewal and onboarding work.",
  priority: 30,
  on_failure: "stop",
  triggers: [
    { type: "manual" },
    {
      type: "condition",
      condition: {
        all: [
          { fact: "health_score", op: "gte", value: 70 },
          { fact: "usage_change_pct", op: "gte", value: 15 },
        ],
      },
      cooldown_days: 90,
    },
  ],
  steps: [
    {
      id: "identify",
      name: "Identify the opportunity",
      type: "agent_action",
      agent_id: "customer-success",
      task: { type: "check_expansion" },
    },
    {
      id: "technical_readiness",
      name: "TAM technical readiness check",
      type: "agent_action",
      agent_id: "sales",
      task: {
        type: "dispatch_tam_health_check",
        reason:
          "Expansion playbook for {{customer.name}}: confirm the integration and ticket health before the demo",
      },
    },
    {
      id: "demo",
      name: "Demo",
      type: "meeting",
      require_approval: true,
      title: "{{customer.name}}: getting more from the platform",
      agenda: `1. How your team works today, and where it is running into limits
2. A demo of the capabilities that fit what we see in your usage
3. What a rollout would look like for your team
4. Questions, and whether a proposal would be useful`,
      attendees: ["customer", "account_executive", "csm"],
      duration_minutes: 45,
      task_type: "expansion_opportunity",
    },
    {
      id: "after_demo",
      name: "A few days for the demo to happen",
      type: "wait",
      duration: { days: 5 },
    },
    {
      id: "demo_held",
      name: "Was the demo held?",
      type: "condition",
      condition: { fact: "meeting_held", op: "eq", value: true },
      if_true: "proposal",
      if_false: "demo_followup",
    },
    {
      id: "demo_followup",
      name: "Offer the demo again",
      type: "email",
      require_approval: true,
      to: "customer",
      subject: "{{customer.name}}: still interested in a walkthrough?",
      body: `Hi {{contact.name}},

We didn't manage to get the walkthrough in the calendar. No problem at all. If it's still useful, reply with a time that suits you and {{account_executive.name}} and I will make it work; if the timing isn't right, just let me know and I'll check back next quarter.

{{csm.name}}`,
      next: "end",
    },
    {
      id: "proposal",
      name: "Expansion proposal",
      type: "email",
      require_approval: true,
      to: "customer",
      cc: ["account_executive"],
      subject: "{{customer.name}}: proposal following our demo",
      body: `Hi {{contact.name}},

Thanks for the time at the demo. As discussed, {{account_executive.name}} has put together a proposal for extending {{customer.name}}'s plan, based on how your team uses the platform today ({{customer.seats_used}} of {{customer.seats_purchased}} seats in use).

Happy to set up a short call to go through it with you and anyone else who should weigh in.

{{csm.name}}`,
    },
    {
      id: "proposal_window",
      name: "Ten days for the proposal",
      type: "wait",
      duration: { days: 10 },
    },
    {
      id: "close_handoff",
      name: "Hand over to close",
      type: "email",
      to: "account_executive",
      cc: ["csm"],
      subject: "Ready to close: {{customer.name}} expansion",
      body: `The {{customer.name}} expansion proposal went out ten days ago. The demo was held and the customer's health is {{default customer.health_score "not scored"}}.

Please follow up on the proposal and update the opportunity's status when the customer decides. {{csm.name}} stays on the relationship.`,
    },
  ],
};
