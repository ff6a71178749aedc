import type { Reachability } from "../records/port.js";

export interface DraftInput {
  to: string;
  cc?: string[];
  subject: string;
  text: string;
  html?: string;
  /** Same key, same draft: a retried create never makes a second one. */
  idempotencyKey: string;
  account_id?: string | null;
  run_id?: string | null;
  /** What the draft is for (alert, qbr_review, expansion, outreach, playbook, ...). */
  kind: string;
}

export interface DraftResult {
  draft_id: string;
  provider: "local" | "gmail";
  /** false when the key had already produced this draft. */
  created: boolean;
}

/**
 * Mail is drafts only: reps review and send them, people stay in charge of what a customer receives.
 * There is deliberately no send method on this port, and no implementation may call a send endpoint.
 */
export interface MailPort {
  readonly kind: "local" | "gmail";
  createDraft(input: DraftInput): Promise<DraftResult>;
  ping(): Promise<Reachability>;
}
