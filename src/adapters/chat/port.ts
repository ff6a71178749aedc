import type { Reachability } from "../records/port.js";

export interface AlertField {
  label: string;
  value: string;
}

export interface AlertInput {
  /** Slack channel; the adapter falls back to its configured alert channel. */
  channel?: string | null;
  severity: "info" | "warning" | "critical";
  title: string;
  text: string;
  fields?: AlertField[];
  account_id?: string | null;
  run_id?: string | null;
  idempotencyKey: string;
}

export interface AlertResult {
  alert_id: string;
  provider: "local" | "slack";
  ok: boolean;
  /** The provider's error code when ok is false (e.g. Slack's channel_not_found). */
  error?: string;
  created: boolean;
}

export interface ChatPort {
  readonly kind: "local" | "slack";
  postAlert(input: AlertInput): Promise<AlertResult>;
  ping(): Promise<Reachability>;
}
