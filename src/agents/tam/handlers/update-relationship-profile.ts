/**
 * TAM `update_relationship_profile` {account_id, updates} (issue 6, item 2): merges the updates into the
 * account's "Technical Relationship Profile" sub-page (records.findSubPage / writeSubPage). A new page
 * starts from what the records already know: the integrations the account bought and its open P1/P2
 * tickets. Merging never drops a field, a column or a block a person added.
 */
import { ownedIntegrations } from "../../../domain/catalogue.js";
import { type Account, isOpenTicket, type Ticket } from "../../../domain/types.js";
import { type NodeFn, TaskRejected } from "../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../deps.js";
import { productCatalogue } from "../../shared/catalogue.js";
import { parseTaskOrReject } from "../../shared/task-input.js";
import {
  emptyProfile,
  mergeProfile,
  PROFILE_TITLE,
  parseProfile,
  profileCounts,
  type RelationshipProfile,
  renderProfile,
  sameProfile,
} from "../profile.js";
import { updateRelationshipProfileTask } from "../tasks.js";

/** What a first profile knows before anyone writes to it. */
export function initialProfile(
  account: Account,
  tickets: readonly Ticket[],
  integrations: string[],
): RelationshipProfile {
  return mergeProfile(emptyProfile(), {
    integrations: integrations.map((name) => ({
      name,
      status: account.last_heartbeat
        ? `live (last heartbeat ${account.last_heartbeat})`
        : "bought, no heartbeat recorded",
    })),
    known_issues: tickets
      .filter((t) => isOpenTicket(t) && (t.priority === "P1" || t.priority === "P2"))
      .map((t) => ({ title: t.subject, severity: t.priority, status: t.status, ticket_id: t.id })),
  });
}

export function updateRelationshipProfileHandler(deps: AgentDeps): NodeFn {
  return async (ctx) => {
    const task = parseTaskOrReject(
      updateRelationshipProfileTask,
      ctx.task,
      "update_relationship_profile task",
    );
    const account = await deps.records.getAccount(task.account_id);
    if (!account) throw new TaskRejected(`account ${task.account_id} not found`);

    const existing = await deps.records.findSubPage(account.id, PROFILE_TITLE);
    const base = existing
      ? parseProfile(existing.body)
      : initialProfile(
          account,
          await deps.records.listTickets(account.id),
          ownedIntegrations(productCatalogue(deps.config), account.modules),
        );
    const merged = mergeProfile(base, task.updates);
    const changed = !existing || !sameProfile(base, merged);
    const page = changed
      ? await deps.records.writeSubPage(
          account.id,
          PROFILE_TITLE,
          renderProfile(merged, deps.clock.now().toISOString()),
          {
            idempotencyKey: `tam-profile:${account.id}:${ctx.run_id}`,
            ...(existing ? { replaceId: existing.id } : {}),
          },
        )
      : existing!;
    return {
      result: {
        account_id: account.id,
        page_id: page.id,
        url: page.url,
        created: !existing,
        changed,
        counts: profileCounts(merged),
        confidence: "high",
      },
    };
  };
}
