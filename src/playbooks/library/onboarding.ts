import type { DefinitionInput } from "../schema/definition.js";

/**
 * Onboarding: kickoff -> training -> 30-day check-in -> 60-day review. Starts the day after
 * signup; adapts the training follow-up to whether the team has started using the product.
 */
export const onboardingPlaybook: DefinitionInput = {
  name: "Customer onboarding",
  description:
    "Kickoff, training, 30-day check-in and 60-day review for a new customer. Branches after the first week: a team that has not started gets a hands-on unblock task, one that has gets the advanced training plan.",
  priority: 50,
  on_failure: "continue",
  triggers: [{ type: "manual" }, { type: "time", anchor: "signup_date", when: "after", days: 1 }],
  steps: [
    {
      id: "kickoff_email",
      name: "Welcome and kickoff invitation",
      type: "email",
      require_approval: true,
      to: "customer",
      cc: ["csm"],
      subject: "Welcome aboard, {{customer.name}}: let's plan your kickoff",
      body: `Hi {{contact.name}},

Welcome to the team! I'm {{csm.name}}, your Customer Success Manager, and I'll be your point of contact as {{customer.name}} gets up and running.

I'd like to start with a 45-minute kickoff call to:
- confirm the goals you bought us for and how you'll measure them,
- agree on who owns what on your side (admins, champions, executive sponsor),
- walk through the onboarding plan for your first 60 days.

Could you send me two or three times that work for you and your admin this week or next? If it's easier, reply with who should join and I'll propose times.

Looking forward to working together,
{{csm.name}}`,
    },
    {
      id: "first_week",
      name: "Give the team a week with the product",
      type: "wait",
      duration: { days: 7 },
    },
    {
      id: "adoption_started",
      name: "Has the team started using the product?",
      type: "condition",
      condition: {
        any: [
          { fact: "account.feature_adoption", op: "gte", value: 0.2 },
          { fact: "account.onboarding_steps_done", op: "exists" },
        ],
      },
      if_true: "training_plan",
      if_false: "unblock_task",
    },
    {
      id: "unblock_task",
      name: "Unblock a slow start",
      type: "task",
      task_type: "onboarding_stall",
      due_in_days: 2,
      note: "{{customer.name}} has not started using the product a week after kickoff. Call {{contact.name}}, find the blocker (access, data, ownership, time) and agree on the first workflow to set up together.",
      next: "training_plan",
    },
    {
      id: "training_plan",
      name: "Training plan",
      type: "email",
      to: "customer",
      subject: "{{customer.name}} training plan: your first 30 days",
      body: `Hi {{contact.name}},

Here is the training plan we discussed for your first 30 days:

Week 1-2, admins: workspace setup, user provisioning and permissions, connecting your data sources.
Week 2-3, everyday users: building dashboards and reports for your own team's metrics, setting up alerts.
Week 3-4, champions: sharing and scheduling reports, the mobile app, and the practices your peers use most.

Each session is 45 minutes and recorded, so people can catch up later. Reply with the names of who should attend each track and I'll send the invitations.

{{csm.name}}`,
    },
    {
      id: "until_day_30",
      name: "Wait until day 30",
      type: "wait",
      until: { anchor: "signup_date", offset_days: 30 },
    },
    {
      id: "day_30_checkin",
      name: "30-day check-in",
      type: "meeting",
      title: "{{customer.name}} 30-day check-in",
      agenda: `1. What is working and what is not, in your team's words
2. Progress against the goals from the kickoff
3. Open questions and support tickets
4. Plan for the next 30 days`,
      attendees: ["customer", "csm"],
      duration_minutes: 30,
      slots: { count: 3, earliest_in_days: 2, hours_utc: [15, 18] },
      task_type: "day_30_checkin",
    },
    {
      id: "until_day_60",
      name: "Wait until day 60",
      type: "wait",
      until: { anchor: "signup_date", offset_days: 60 },
    },
    {
      id: "adoption_review",
      name: "Feature adoption review",
      type: "agent_action",
      agent_id: "customer-success",
      task: { type: "track_feature_adoption" },
    },
    {
      id: "day_60_review",
      name: "60-day review",
      type: "meeting",
      title: "{{customer.name}} 60-day review",
      agenda: `1. Adoption so far: who is using what (feature adoption is at {{percent customer.feature_adoption}})
2. Value delivered against the kickoff goals
3. Features your team is not using yet, and whether they would help
4. Success plan for the rest of the first year`,
      attendees: ["customer", "csm"],
      duration_minutes: 45,
      task_type: "day_60_checkin",
    },
  ],
};
