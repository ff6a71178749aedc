import { type RenderEnv, RenderError, type RenderedEmail } from "./env.js";
import { renderSubject, renderText, textToHtml } from "./templating.js";
import type { RenderContext } from "./variables.js";

/** Who a draft goes to, and the draft itself. */

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function resolveRecipient(
  spec: string,
  env: RenderEnv,
  ctx: RenderContext,
): { address: string; source: RenderedEmail["recipient_source"] } {
  const a = env.account;
  if (spec === "customer") {
    if (env.contact_email) return { address: env.contact_email, source: "contact" };
    if (a.csm_owner) return { address: a.csm_owner, source: "csm_fallback" };
    throw new RenderError("no customer contact given and the account has no CSM owner to address the draft");
  }
  if (spec === "csm") {
    if (a.csm_owner) return { address: a.csm_owner, source: "csm" };
    throw new RenderError("the account has no CSM owner");
  }
  if (spec === "account_executive") {
    const address = a.account_executive ?? env.sales_fallback_email;
    if (address) return { address, source: "account_executive" };
    throw new RenderError("the account has no account executive and SALES_FALLBACK_EMAIL is not set");
  }
  const address = renderText(spec, ctx).trim();
  if (!EMAIL.test(address))
    throw new RenderError(`recipient "${spec}" rendered to "${address}", not an email address`);
  return { address, source: "template" };
}

export function renderEmail(
  spec: { to: string; cc: string[]; subject: string; body: string },
  env: RenderEnv,
  ctx: RenderContext,
): RenderedEmail {
  const to = resolveRecipient(spec.to, env, ctx);
  const cc = spec.cc.map((c) => resolveRecipient(c, env, ctx).address).filter((c) => c !== to.address);
  const text = renderText(spec.body, ctx).trim();
  return {
    to: to.address,
    cc: [...new Set(cc)],
    subject: renderSubject(spec.subject, ctx),
    text,
    html: textToHtml(text),
    recipient_source: to.source,
  };
}
