/**
 * The CSM task catalogue: the nine task types and a call playbook for each, assembled from one content
 * file per task type (catalog/content/). The schemas they follow are the domain's
 * (src/domain/tasks/catalog-schema.ts); catalog-store.ts syncs them into the store at boot.
 *
 * The order below is the catalogue's order: the store assigns ids in it, and listings keep it.
 */
import type { CallPlaybook, TaskTypeDefinition, TaskTypeSlug } from "../domain/tasks/catalog-schema.js";
import { atRiskRecovery } from "./catalog/content/at-risk-recovery.js";
import { day30Checkin } from "./catalog/content/day-30-checkin.js";
import { day60Checkin } from "./catalog/content/day-60-checkin.js";
import { day90Qbr } from "./catalog/content/day-90-qbr.js";
import { expansionOpportunity } from "./catalog/content/expansion-opportunity.js";
import { healthScoreDrop } from "./catalog/content/health-score-drop.js";
import { npsDetractorFollowup } from "./catalog/content/nps-detractor-followup.js";
import { onboardingStall } from "./catalog/content/onboarding-stall.js";
import { renewalPrep } from "./catalog/content/renewal-prep.js";
import type { CatalogEntry } from "./catalog/define.js";

const ENTRIES: readonly CatalogEntry[] = [
  onboardingStall,
  day30Checkin,
  day60Checkin,
  day90Qbr,
  atRiskRecovery,
  healthScoreDrop,
  renewalPrep,
  npsDetractorFollowup,
  expansionOpportunity,
];

export const TASK_TYPES: ReadonlyArray<TaskTypeDefinition> = ENTRIES.map((e) => e.task_type);

export const CALL_PLAYBOOKS: Readonly<Record<TaskTypeSlug, CallPlaybook>> = Object.fromEntries(
  ENTRIES.map((e) => [e.playbook.task_type_slug, e.playbook]),
) as Record<TaskTypeSlug, CallPlaybook>;

export function getTaskType(slug: TaskTypeSlug): TaskTypeDefinition {
  const found = TASK_TYPES.find((t) => t.slug === slug);
  if (!found) throw new Error(`Unknown task type "${slug}"`);
  return found;
}

export function getCallPlaybook(slug: TaskTypeSlug): CallPlaybook {
  return CALL_PLAYBOOKS[slug];
}
