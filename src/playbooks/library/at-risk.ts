import type { DefinitionInput } from "../schema/definition.js";

/**
 * At-risk: detection -> outreach -> escalation -> save plan. Fires on a high churn-risk flag, a
 * health drop, a lost champion, or health below 60; escalates through the TAM only when the customer
 * does not answer, and checks two weeks after the save-plan meeting whether health recovered.
 */
export const atRiskPlaybook: DefinitionInput = {
  name: "At-risk customer save",
  description:
    "Confirms the churn drivers, reaches out personally, escalates through the TAM when there is no reply, and agrees a save plan with the customer. Highest priority: it pauses other automated playbooks for the customer while it runs.",
  priority: 90,
  on_failure: "continue",
  triggers: [
    { type: "manual" },
    { type: "event", event: "churn.risk_flagged", min_level: "high" },
    { type: "event", event: "health_drop", min_drop: 15 },
    { type: "event", event: "champion_left" },
    { type: "condition", condition: { fact: "health_score", op: "lt", value: 60 }, cooldown_days: 30 },
  ],
  steps: [
    {
      id: "assess_risk",
      name: "Confirm the churn drivers",
      type: "agent_action",
      agent_id: "customer-success",
      task: { type: "assess_churn_risk" },
    },
    {
      id: "internal_alert",
      name: "Brief the account team",
      type: "email",
      to: "csm",
      cc: ["account_executive"],
      subject:
        'At-risk: {{customer.name}} (health {{default customer.health_score "unknown"}}, churn risk {{default customer.churn_risk "unknown"}})',
      body: `{{customer.name}} has entered the at-risk playbook.

Account: {{customer.tier}} tier, {{currency customer.arr}} ARR, renewal on {{default renewal_date "an unknown date"}} ({{days_to_renewal}} days).
Health: {{default customer.health_score "not scored"}} ({{default customer.health_rag "no RAG"}}), churn risk {{default customer.churn_risk "unknown"}}, usage {{default customer.usage_trend "unknown"}}.
Champion: {{default customer.champion "none on record"}}.

Plan:
1. Personal outreach from {{csm.name}} today (draft awaiting approval).
2. No reply within 4 days: TAM escalation outreach.
3. Save-plan meeting with the customer, then a health check two weeks later.

Reply here with anything the team should know before the outreach goes out.`,
    },
    {
      id: "outreach",
      name: "Personal outreach",
      type: "email",
      require_approval: true,
      to: "customer",
      subject: "{{customer.name}}: can we find 20 minutes this week?",
      body: `Hi {{contact.name}},

I've been looking at how {{customer.name}} is using the platform, and I want to make sure you're getting the value you expected from it. It looks like things may not be going as smoothly as they should.

Could we find 20 minutes this week? I'd like to hear, in your words, what is getting in the way, and come back with a concrete plan: whether that's training for your team, help with a workflow, or escalating an open issue on our side.

{{csm.name}}`,
    },
    {
      id: "wait_for_reply",
      name: "Give the customer four days to reply",
      type: "wait",
      duration: { days: 4 },
    },
    {
      id: "replied",
      name: "Did the customer reply?",
      type: "condition",
      condition: { fact: "response_received", op: "eq", value: true },
      if_true: "save_plan_meeting",
      if_false: "escalate",
    },
    {
      id: "escalate",
      name: "TAM escalation outreach",
      type: "agent_action",
      require_approval: true,
      agent_id: "tam",
      task: { type: "escalation_outreach" },
    },
    {
      id: "save_plan_meeting",
      name: "Agree a save plan",
      type: "meeting",
      title: "{{customer.name}} success plan review",
      agenda: `1. What is not working today, and its impact on your team
2. What we will fix, and by when (owners on both sides)
3. Training or configuration help we can offer right away
4. How we will both know the plan is working: the two or three measures to review in two weeks`,
      attendees: ["customer", "csm", "account_executive"],
      duration_minutes: 45,
      slots: { count: 3, earliest_in_days: 1, hours_utc: [15, 18] },
      task_type: "at_risk_recovery",
    },
    {
      id: "plan_in_motion",
      name: "Two weeks for the plan to work",
      type: "wait",
      duration: { days: 14 },
    },
    {
      id: "recovered",
      name: "Has health recovered?",
      type: "condition",
      condition: { fact: "health_score", op: "gte", value: 60 },
      if_true: "end",
      if_false: "exec_sponsor",
    },
    {
      id: "exec_sponsor",
      name: "Bring in an executive sponsor",
      type: "email",
      require_approval: true,
      to: "account_executive",
      cc: ["csm"],
      subject: "Executive sponsor needed: {{customer.name}} has not recovered",
      body: `{{customer.name}} is still below health 60 two weeks after the save-plan meeting (health {{default customer.health_score "not scored"}}, churn risk {{default customer.churn_risk "unknown"}}, renewal in {{days_to_renewal}} days, {{currency customer.arr}} ARR).

Please arrange an executive-to-executive call this week. {{csm.name}} will share the save plan, what has been done so far, and what the customer said.`,
    },
  ],
};
