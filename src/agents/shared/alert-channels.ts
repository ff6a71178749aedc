/**
 * Four-channel alert delivery: the system of record, the event bus, a mail draft and a chat alert. Each
 * channel is independent: one failing never stops the others, and the outcome names which failed. Each
 * successful channel is remembered under `{key}:{channel}`, so a re-run node (crash, resume) repeats only
 * what did not happen; a failed channel is tried again on a re-run. CSM churn alerts and TAM
 * escalations both use it.
 */
import type { AlertInput, ChatPort } from "../../adapters/chat/port.js";
import type { DraftInput, MailPort } from "../../adapters/mail/port.js";
import { ALERT_CHANNELS, type AlertChannel } from "../../domain/notifications.js";
import { errorMessage } from "../../errors.js";
import type { Logger } from "../../logger.js";
import type { SideEffects } from "../../store/side-effects.js";

export type ChannelStatus = "ok" | "failed" | "skipped";

export interface ChannelOutcome {
  status: ChannelStatus;
  /** Draft id, alert id, ... */
  id?: string;
  /** Why it was skipped, or what it did ("unchanged"). */
  detail?: string;
  error?: string;
}

export type ChannelOutcomes = Record<AlertChannel, ChannelOutcome>;

export interface FourChannelAlert {
  /** Idempotency key of the alert, e.g. `churn-alert:{account_id}:{level}:{date}`. */
  key: string;
  /** Bring the system of record in line with the alert; returns what it did. */
  records: () => Promise<ChannelOutcome>;
  /** The draft, or a reason there is none (no recipient): the channel is then skipped. */
  draft: Omit<DraftInput, "idempotencyKey"> | { skip: string };
  chat: Omit<AlertInput, "idempotencyKey">;
  /** Publish the alert's events; runs last so it can report the other channels' outcomes. */
  events: (others: Omit<ChannelOutcomes, "events">) => Promise<void>;
}

export interface ChannelDeps {
  effects: SideEffects;
  mail: MailPort;
  chat: ChatPort;
  log: Logger;
}

/** Thrown inside SideEffects.once so a failed outcome is not remembered as done. */
class ChannelFailure extends Error {
  constructor(readonly outcome: ChannelOutcome) {
    super(outcome.error ?? "channel failed");
  }
}

export async function deliverFourChannels(
  deps: ChannelDeps,
  alert: FourChannelAlert,
): Promise<ChannelOutcomes> {
  const run = async (channel: AlertChannel, fn: () => Promise<ChannelOutcome>): Promise<ChannelOutcome> => {
    try {
      const { result } = await deps.effects.once(`${alert.key}:${channel}`, `alert.${channel}`, async () => {
        const outcome = await fn();
        if (outcome.status === "failed") throw new ChannelFailure(outcome);
        return outcome;
      });
      return result;
    } catch (err) {
      const outcome =
        err instanceof ChannelFailure ? err.outcome : { status: "failed" as const, error: errorMessage(err) };
      deps.log.warn({ alert_key: alert.key, channel, error: outcome.error }, "alert channel failed");
      return outcome;
    }
  };

  const draftSpec = alert.draft;
  const [records, draft, chat] = await Promise.all([
    run("records", alert.records),
    run("draft", async () => {
      if ("skip" in draftSpec) return { status: "skipped", detail: draftSpec.skip };
      const res = await deps.mail.createDraft({ ...draftSpec, idempotencyKey: `${alert.key}:draft` });
      return { status: "ok", id: res.draft_id };
    }),
    run("chat", async () => {
      const res = await deps.chat.postAlert({ ...alert.chat, idempotencyKey: `${alert.key}:chat` });
      return res.ok
        ? { status: "ok", id: res.alert_id }
        : { status: "failed", id: res.alert_id, error: res.error ?? "chat provider refused the alert" };
    }),
  ]);
  const events = await run("events", async () => {
    await alert.events({ records, draft, chat });
    return { status: "ok" };
  });
  return { records, draft, chat, events };
}

/** The channels that failed, for results and logs. */
export const failedChannels = (outcomes: ChannelOutcomes): AlertChannel[] =>
  ALERT_CHANNELS.filter((c) => outcomes[c].status === "failed");
