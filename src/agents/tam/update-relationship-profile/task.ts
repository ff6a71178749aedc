/**
 * `update_relationship_profile` `{account_id, updates}`: merges the updates into the account's
 * "Technical Relationship Profile" sub-page (records.findSubPage / writeSubPage). A new page starts from
 * what the records already know: the integrations the account bought and its open P1/P2 tickets.
 * Merging never drops a field, a column or a block a person added.
 */
import { z } from "zod";
import type { TaskOf } from "../../../graphs/agent.js";
import type { NodeFn } from "../../../graphs/agent-graph.js";
import { accountIdField } from "../../shared/task-input.js";

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional();
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/, "expected an ISO date such as 2026-03-01");

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

export const UpdateRelationshipProfileTaskSchema = z.strictObject({
  type: z.literal("update_relationship_profile"),
  account_id: accountIdField,
  updates: profileUpdates,
});

export type UpdateRelationshipProfileTask = TaskOf<typeof UpdateRelationshipProfileTaskSchema>;
export type ProfileUpdates = z.infer<typeof profileUpdates>;

export const UPDATE_RELATIONSHIP_PROFILE_DESCRIPTION =
  'Merges updates (stakeholders, integrations, known_issues, communication_log) into the account\'s "Technical Relationship Profile" sub-page, keeping every existing field. {account_id, updates}';

/** One node, no state between nodes. */
export type UpdateRelationshipProfileNode = NodeFn<UpdateRelationshipProfileTask>;

export interface UpdateRelationshipProfileResult {
  account_id: string;
  page_id: string;
  url: string | null;
  created: boolean;
  changed: boolean;
  counts: Record<"stakeholders" | "integrations" | "known_issues" | "communication_log", number>;
  confidence: "high";
}
