/**
 * Who hears about an account: the CSM owner (alerts, QBR reviews), the account executive (expansion),
 * and the Slack channel. One place for the fallbacks, so every agent addresses people the same way.
 */
import type { Config } from "../../config.js";
import type { Account } from "../../domain/types.js";

export interface Recipient {
  /** Null when there is nobody to address; `reason` says why (the channel is then skipped, not failed). */
  to: string | null;
  reason?: string;
  /** True when `to` is a configured fallback rather than the account's own person. */
  fallback?: boolean;
}

// Deliberately loose: the records are the authority on addresses; this only rejects what cannot be one.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const isEmail = (value: string | null | undefined): value is string =>
  typeof value === "string" && EMAIL.test(value.trim());

/** The account's CSM owner, who receives churn alerts and QBR review drafts. */
export function csmOwnerRecipient(account: Pick<Account, "csm_owner">): Recipient {
  if (account.csm_owner === null || account.csm_owner.trim() === "") {
    return { to: null, reason: "the account has no CSM Owner" };
  }
  if (!isEmail(account.csm_owner)) {
    return { to: null, reason: `CSM Owner "${account.csm_owner}" is not an email address` };
  }
  return { to: account.csm_owner.trim() };
}

/** The account executive, else SALES_FALLBACK_EMAIL (flagged as a fallback). */
export function accountExecutiveRecipient(
  account: Pick<Account, "account_executive">,
  config: Pick<Config, "SALES_FALLBACK_EMAIL">,
): Recipient {
  if (isEmail(account.account_executive)) return { to: account.account_executive.trim() };
  const fallback = config.SALES_FALLBACK_EMAIL;
  if (isEmail(fallback)) return { to: fallback, fallback: true };
  return {
    to: null,
    reason:
      account.account_executive === null
        ? "the account has no Account Executive and SALES_FALLBACK_EMAIL is not set"
        : `Account Executive "${account.account_executive}" is not an email address and SALES_FALLBACK_EMAIL is not set`,
  };
}

/** The account's own Slack channel; null lets the chat adapter use its configured alert channel. */
export function alertChannelOf(account: Pick<Account, "slack_channel">): string | null {
  const channel = account.slack_channel?.trim();
  return channel ? channel : null;
}
