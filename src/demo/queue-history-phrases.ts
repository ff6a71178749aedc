/** What the demo task history says: blockers, escalation reasons, notes, next actions. Pure data. */

import type { ObjectiveAchieved, Sentiment } from "../queue/types.js";
import type { WeightedEntry } from "./prng.js";

export const BLOCKERS = [
  "Champion on leave until next month",
  "Waiting on the customer's IT team to approve SSO",
  "Budget freeze until next quarter",
  "Data import failing on a legacy CSV format",
  "Key stakeholder not responding",
  "Competing internal priority (ERP migration)",
  "Security review still pending",
  "Integration blocked by the customer's API gateway limits",
];
export const ESCALATION_REASONS = [
  "Customer threatens to cancel over repeated outages",
  "Executive sponsor asked for a call with our VP",
  "Contract dispute over seat overage invoice",
  "P1 ticket open for 9 days without a fix date",
  "Customer requests a discount the CSM cannot approve",
];
export const ESCALATE_TO = [
  "cs-lead@example.com",
  "support-escalations@example.com",
  "vp-customer-success@example.com",
];
export const NOTES: Record<ObjectiveAchieved, string[]> = {
  yes: [
    "Walked through the setup together; customer finished it on the call.",
    "Customer confirmed the value and shared two wins from last month.",
    "Agreed on the plan and booked the follow-up.",
    "Champion is engaged; next steps owned on both sides.",
    "Resolved the open concern; customer is happy with the outcome.",
  ],
  partial: [
    "Made progress, but one stakeholder still needs to sign off.",
    "Customer agreed in principle; dates still to be confirmed.",
    "Root cause found; the fix depends on the customer's team.",
    "Half of the team adopted the workflow; the rest is scheduled.",
  ],
  no: [
    "Could not reach the decision-maker; left a voicemail.",
    "Customer not ready to commit; will revisit next month.",
    "Objective not met: the blocker is on the customer's side.",
    "Customer was frustrated and asked to talk later.",
  ],
};
export const NEXT_ACTIONS = [
  "Send recap email with the agreed plan",
  "Book a training session for the new team members",
  "Check usage of the new workflow in two weeks",
  "Loop in the account executive on pricing",
  "Follow up with support on the open ticket",
  "Share the ROI summary with the executive sponsor",
];
export const TEXT_ANSWERS = [
  "Customer asked for a written summary and a second session.",
  "Needs sign-off from finance before moving ahead.",
  "Two teams could benefit; intro to their lead is planned.",
  "Mentioned a competitor evaluation earlier this quarter.",
  "Wants the reporting module demoed to leadership.",
];

export const SENTIMENT_BY_OBJECTIVE: Record<ObjectiveAchieved, WeightedEntry<Sentiment>[]> = {
  yes: [
    ["positive", 55],
    ["neutral", 35],
    ["frustrated", 10],
  ],
  partial: [
    ["positive", 20],
    ["neutral", 50],
    ["frustrated", 25],
    ["angry", 5],
  ],
  no: [
    ["neutral", 25],
    ["frustrated", 45],
    ["angry", 30],
  ],
};
