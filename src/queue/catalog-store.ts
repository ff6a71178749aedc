/**
 * The catalogue (catalog.ts) in the store: task types and call playbooks get their numeric ids here
 * (a task type's id, a playbook's id and the task_type_id linking them). Synced at boot by slug, so ids
 * stay the same across restarts and an edited catalogue updates the rows in place.
 */
import type { Kysely, Selectable } from "kysely";
import type { TaskPriority } from "../domain/priority.js";
import {
  type AutoTriggerConditions,
  isTaskTypeSlug,
  type ObjectionHandler,
  type QualityGate,
  type TaskCategory,
  type TaskTypeSlug,
} from "../domain/tasks/catalog-schema.js";
import { parseJson } from "../store/db.js";
import type { CsmPlaybooksTable, CsmTaskTypesTable, Database } from "../store/schema.js";
import { CALL_PLAYBOOKS, TASK_TYPES } from "./catalog.js";

export interface TaskTypeRecord {
  id: number;
  name: string;
  slug: TaskTypeSlug;
  description: string;
  category: TaskCategory;
  default_priority: TaskPriority;
  sla_hours: number;
  playbook_id: number | null;
  required_outcomes: string[];
  quality_gates: QualityGate[];
  auto_trigger_conditions: AutoTriggerConditions;
  is_active: boolean;
  created_at: string;
}

export interface PlaybookRecord {
  id: number;
  task_type_id: number | null;
  task_type_slug: TaskTypeSlug;
  name: string;
  version: string;
  objective: string;
  context_fields: string[];
  opening_script: string;
  key_questions: string[];
  objection_handlers: ObjectionHandler[];
  success_criteria: string;
  quality_gates: QualityGate[];
  estimated_duration_minutes: number;
  is_active: boolean;
  updated_at: string;
}

/** The synced catalogue, indexed for the queue's lookups. */
export interface CatalogIndex {
  taskTypes: TaskTypeRecord[];
  playbooks: PlaybookRecord[];
  typeBySlug: Map<TaskTypeSlug, TaskTypeRecord>;
  typeById: Map<number, TaskTypeRecord>;
  playbookById: Map<number, PlaybookRecord>;
  playbookBySlug: Map<TaskTypeSlug, PlaybookRecord>;
}

const toTaskType = (r: Selectable<CsmTaskTypesTable>): TaskTypeRecord => ({
  id: r.id,
  name: r.name,
  slug: r.slug as TaskTypeSlug,
  description: r.description,
  category: r.category as TaskCategory,
  default_priority: r.default_priority as TaskPriority,
  sla_hours: r.sla_hours,
  playbook_id: r.playbook_id,
  required_outcomes: parseJson(r.required_outcomes, []),
  quality_gates: parseJson(r.quality_gates, []),
  auto_trigger_conditions: parseJson(r.auto_trigger_conditions, { rule: "event", on_events: [] }),
  is_active: r.is_active === 1,
  created_at: r.created_at,
});

const toPlaybook = (r: Selectable<CsmPlaybooksTable>): PlaybookRecord => ({
  id: r.id,
  task_type_id: r.task_type_id,
  task_type_slug: r.task_type_slug as TaskTypeSlug,
  name: r.name,
  version: r.version,
  objective: r.objective,
  context_fields: parseJson(r.context_fields, []),
  opening_script: r.opening_script,
  key_questions: parseJson(r.key_questions, []),
  objection_handlers: parseJson(r.objection_handlers, []),
  success_criteria: r.success_criteria,
  quality_gates: parseJson(r.quality_gates, []),
  estimated_duration_minutes: r.estimated_duration_minutes,
  is_active: r.is_active === 1,
  updated_at: r.updated_at,
});

/** Upsert every task type and playbook of the code catalogue, link them, and return the index. */
export async function syncCatalog(db: Kysely<Database>, nowIso: string): Promise<CatalogIndex> {
  await db.transaction().execute(async (trx) => {
    for (const t of TASK_TYPES) {
      const values = {
        name: t.name,
        description: t.description,
        category: t.category,
        default_priority: t.default_priority,
        sla_hours: t.sla_hours,
        required_outcomes: JSON.stringify(t.required_outcomes),
        quality_gates: JSON.stringify(t.quality_gates),
        auto_trigger_conditions: JSON.stringify(t.auto_trigger_conditions),
        is_active: t.is_active ? 1 : 0,
        updated_at: nowIso,
      };
      await trx
        .insertInto("csm_task_types")
        .values({ slug: t.slug, playbook_id: null, created_at: nowIso, ...values })
        .onConflict((oc) => oc.column("slug").doUpdateSet(values))
        .execute();
    }
    const typeIds = new Map(
      (await trx.selectFrom("csm_task_types").select(["id", "slug"]).execute()).map((r) => [r.slug, r.id]),
    );
    for (const p of Object.values(CALL_PLAYBOOKS)) {
      const values = {
        task_type_id: typeIds.get(p.task_type_slug) ?? null,
        name: p.name,
        version: p.version,
        objective: p.objective,
        context_fields: JSON.stringify(p.context_fields),
        opening_script: p.opening_script,
        key_questions: JSON.stringify(p.key_questions),
        objection_handlers: JSON.stringify(p.objection_handlers),
        success_criteria: p.success_criteria,
        quality_gates: JSON.stringify(p.quality_gates),
        estimated_duration_minutes: p.estimated_duration_minutes,
        is_active: p.is_active ? 1 : 0,
        updated_at: nowIso,
      };
      const row = await trx
        .insertInto("csm_playbooks")
        .values({ task_type_slug: p.task_type_slug, ...values })
        .onConflict((oc) => oc.column("task_type_slug").doUpdateSet(values))
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .updateTable("csm_task_types")
        .set({ playbook_id: row.id })
        .where("slug", "=", p.task_type_slug)
        .execute();
    }
  });
  return loadCatalog(db);
}

export async function loadCatalog(db: Kysely<Database>): Promise<CatalogIndex> {
  const taskTypes = (await db.selectFrom("csm_task_types").selectAll().orderBy("id").execute()).map(
    toTaskType,
  );
  const playbooks = (await db.selectFrom("csm_playbooks").selectAll().orderBy("id").execute()).map(
    toPlaybook,
  );
  return {
    taskTypes,
    playbooks,
    typeBySlug: new Map(taskTypes.map((t) => [t.slug, t])),
    typeById: new Map(taskTypes.map((t) => [t.id, t])),
    playbookById: new Map(playbooks.map((p) => [p.id, p])),
    playbookBySlug: new Map(playbooks.map((p) => [p.task_type_slug, p])),
  };
}

/** A task type by numeric id or slug, with its call playbook; null when there is none. */
export function findTaskType(
  catalog: CatalogIndex,
  idOrSlug: string,
): { task_type: TaskTypeRecord; playbook: PlaybookRecord | null } | null {
  const type = /^\d+$/.test(idOrSlug)
    ? catalog.typeById.get(Number(idOrSlug))
    : isTaskTypeSlug(idOrSlug)
      ? catalog.typeBySlug.get(idOrSlug)
      : undefined;
  if (!type) return null;
  return { task_type: type, playbook: catalog.playbookBySlug.get(type.slug) ?? null };
}
