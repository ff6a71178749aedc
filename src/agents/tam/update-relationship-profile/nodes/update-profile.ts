/**
 * The profile update: the existing page parsed (or a first one from what the records know), the updates
 * merged in, and the page written only when the merge changed it. Tasks can arrive as hand-offs, which
 * the API did not validate, so the node checks its input first.
 */
import { ownedIntegrations } from "../../../../domain/catalogue.js";
import { TaskRejected } from "../../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../../deps.js";
import { productCatalogue } from "../../../shared/catalogue.js";
import { parseTaskOrReject } from "../../../shared/task-input.js";
import {
  initialProfile,
  mergeProfile,
  PROFILE_TITLE,
  parseProfile,
  profileCounts,
  renderProfile,
  sameProfile,
} from "../profile.js";
import {
  type UpdateRelationshipProfileNode,
  type UpdateRelationshipProfileResult,
  UpdateRelationshipProfileTaskSchema,
} from "../task.js";

export function updateProfile(deps: AgentDeps): UpdateRelationshipProfileNode {
  return async (ctx) => {
    const task = parseTaskOrReject(
      UpdateRelationshipProfileTaskSchema,
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
    const result: UpdateRelationshipProfileResult = {
      account_id: account.id,
      page_id: page.id,
      url: page.url,
      created: !existing,
      changed,
      counts: profileCounts(merged),
      confidence: "high",
    };
    return { result: { ...result } };
  };
}
