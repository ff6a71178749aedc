/**
 * The task types the TAM agent accepts (its capabilities), validated before a run starts (API) or by the
 * handler itself (hand-offs over the bus).
 */
import { z } from "zod";
import type { TaskTypeInfo } from "../../graphs/agent.js";

export const AGENT_ID = "tam";

const accountId = z.string().min(1).max(200);
const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional();
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/, "expected an ISO date such as 2026-03-01");

export const healthScanTask = z.strictObject({
  type: z.literal("health_scan"),
  account_id: accountId.optional(),
});

export const escalationOutreachTask = z.strictObject({
  type: z.literal("escalation_outreach"),
  account_id: accountId,
});

export const stakeholderUpdate = z.strictObject({
  name: text(200),
  role: optionalText(200),
  email: z.email().optional(),
  notes: optionalText(2000),
});

export const integrationUpdate = z.strictObject({
  name: text(200),
  status: optionalText(200),
  notes: optionalText(2000),
});

export const knownIssueUpdate = z.strictObject({
  title: text(300),
  severity: optionalText(50),
  status: optionalText(100),
  ticket_id: optionalText(200),
  notes: optionalText(2000),
});

export const communicationUpdate = z.strictObject({
  date: isoDate,
  channel: optionalText(100),
  summary: text(2000),
  by: optionalText(200),
});

export const profileUpdates = z
  .strictObject({
    stakeholders: z.array(stakeholderUpdate).max(100).optional(),
    integrations: z.array(integrationUpdate).max(100).optional(),
    known_issues: z.array(knownIssueUpdate).max(200).optional(),
    communication_log: z.array(communicationUpdate).max(200).optional(),
  })
  .refine((u) => Object.values(u).some((v) => Array.isArray(v) && v.length > 0), {
    message: "give at least one of stakeholders, integrations, known_issues, communication_log",
  });

export const updateRelationshipProfileTask = z.strictObject({
  type: z.literal("update_relationship_profile"),
  account_id: accountId,
  updates: profileUpdates,
});

export const tamTaskSchema = z.discriminatedUnion("type", [
  healthScanTask,
  escalationOutreachTask,
  updateRelationshipProfileTask,
]);

export type HealthScanTask = z.infer<typeof healthScanTask>;
export type EscalationOutreachTask = z.infer<typeof escalationOutreachTask>;
export type UpdateRelationshipProfileTask = z.infer<typeof updateRelationshipProfileTask>;
export type ProfileUpdates = z.infer<typeof profileUpdates>;

export const TAM_TASKS: TaskTypeInfo[] = [
  {
    type: "health_scan",
    description:
      "Technical health from tickets and the integration heartbeat: writes Health Score, Health Status and Last Health Scan, and escalates (at most 5 accounts a scan) over records, events, a draft to the owner and Slack. {account_id?}",
  },
  {
    type: "escalation_outreach",
    description:
      "Writes an outreach (subject, body, key issues) about an account's technical health as a draft to its owner. {account_id}",
  },
  {
    type: "update_relationship_profile",
    description:
      'Merges updates (stakeholders, integrations, known_issues, communication_log) into the account\'s "Technical Relationship Profile" sub-page, keeping every existing field. {account_id, updates}',
  },
];
