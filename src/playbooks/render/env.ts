import type { AgentDeps } from "../../agents/deps.js";
import type { Account } from "../../domain/types.js";
import type { AgentDefinition } from "../../graphs/agent.js";
import { buildContext, type RenderContext } from "./variables.js";

/**
 * A step rendered for one customer: exactly what it will do. The same rendering is what a preview
 * shows, what an approver reviews (and may edit), and what the step then executes.
 */

export interface RenderEnv {
  account: Account;
  execution_id: string;
  playbook_name: string;
  contact_email: string | null;
  /** When the execution started (waits anchored on it). */
  started_at: Date;
  now: Date;
  sales_fallback_email: string | null;
  /** The agent registry, to shape agent tasks to what each agent accepts. */
  agents?: ReadonlyMap<string, AgentDefinition<AgentDeps>>;
}

export interface RenderedEmail {
  to: string;
  cc: string[];
  subject: string;
  text: string;
  html: string;
  /** Where the To address came from; "csm_fallback" means the CSM addresses it before sending. */
  recipient_source: "contact" | "csm_fallback" | "csm" | "account_executive" | "template";
}

export type RenderedAction =
  | ({ type: "email" } & RenderedEmail)
  | {
      type: "meeting";
      title: string;
      agenda: string;
      duration_minutes: number;
      attendees: string[];
      proposed_slots: Array<{ start: string; end: string }>;
      invite: RenderedEmail;
      task: { task_type: string; due_date: string; csm_id: string | null };
    }
  | { type: "task"; task_type: string; due_date: string; note: string; csm_id: string | null }
  | { type: "agent_action"; agent_id: string; task: Record<string, unknown> };

export class RenderError extends Error {}

export const contextFor = (env: RenderEnv): RenderContext =>
  buildContext(
    env.account,
    { execution_id: env.execution_id, playbook_name: env.playbook_name, contact_email: env.contact_email },
    env.now,
  );
