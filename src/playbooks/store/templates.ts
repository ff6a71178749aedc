import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Clock } from "../../clock.js";
import type { Database, PlaybooksTable } from "../../store/schema.js";
import { type Definition, DefinitionSchema } from "../schema/definition.js";
import type { PlaybookStatus } from "../schema/statuses.js";

/** A stored template as the API shows it: the definition plus its bookkeeping. */
export interface PlaybookRecord extends Definition {
  playbook_id: string;
  status: PlaybookStatus;
  library_key: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  published_at: string | null;
}

const toRecord = (row: PlaybooksTable): PlaybookRecord => ({
  playbook_id: row.id,
  ...DefinitionSchema.parse(JSON.parse(row.definition)),
  status: row.status as PlaybookStatus,
  library_key: row.library_key,
  created_by: row.created_by,
  created_at: row.created_at,
  updated_at: row.updated_at,
  published_at: row.published_at,
});

export const definitionOf = (p: PlaybookRecord): Definition => ({
  name: p.name,
  description: p.description,
  priority: p.priority,
  on_failure: p.on_failure,
  triggers: p.triggers,
  steps: p.steps,
});

/** Playbook templates. Edits are in place: executions keep the snapshot they started with. */
export class PlaybookRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
  ) {}

  async create(def: Definition, opts: { library_key?: string | null; created_by?: string | null } = {}) {
    const now = this.clock.now().toISOString();
    const id = `pb_${randomUUID()}`;
    await this.db
      .insertInto("playbooks")
      .values({
        id,
        name: def.name,
        status: "draft",
        priority: def.priority,
        definition: JSON.stringify(def),
        library_key: opts.library_key ?? null,
        created_by: opts.created_by ?? null,
        created_at: now,
        updated_at: now,
        published_at: null,
      })
      .execute();
    return (await this.get(id))!;
  }

  async get(id: string): Promise<PlaybookRecord | null> {
    const row = await this.db.selectFrom("playbooks").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async list(opts: { status?: PlaybookStatus } = {}): Promise<PlaybookRecord[]> {
    let q = this.db.selectFrom("playbooks").selectAll().orderBy("priority", "desc").orderBy("name");
    if (opts.status) q = q.where("status", "=", opts.status);
    else q = q.where("status", "!=", "archived");
    return (await q.execute()).map(toRecord);
  }

  async update(id: string, def: Definition): Promise<PlaybookRecord | null> {
    await this.db
      .updateTable("playbooks")
      .set({
        name: def.name,
        priority: def.priority,
        definition: JSON.stringify(def),
        updated_at: this.clock.now().toISOString(),
      })
      .where("id", "=", id)
      .execute();
    return this.get(id);
  }

  async setStatus(id: string, status: PlaybookStatus): Promise<PlaybookRecord | null> {
    const now = this.clock.now().toISOString();
    await this.db
      .updateTable("playbooks")
      .set({ status, updated_at: now, ...(status === "published" ? { published_at: now } : {}) })
      .where("id", "=", id)
      .execute();
    return this.get(id);
  }
}
