import { type Kysely, type Migration, sql } from "kysely";

/**
 * Executable playbooks: templates, executions with the snapshot
 * they started from, one row per step of an execution, approvals, and the trigger firings that keep a
 * time, event or condition trigger from starting the same playbook twice.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the database before its typed shape exists
type Db = Kysely<any>;

export const m0005Playbooks: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable("playbooks")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("priority", "integer", (c) => c.notNull())
      .addColumn("definition", "text", (c) => c.notNull())
      .addColumn("library_key", "text")
      .addColumn("created_by", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("published_at", "text")
      .execute();
    await db.schema.createIndex("playbooks_status").on("playbooks").columns(["status", "priority"]).execute();

    await db.schema
      .createTable("playbook_executions")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("playbook_id", "text", (c) => c.notNull())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("snapshot", "text", (c) => c.notNull())
      .addColumn("trigger_type", "text", (c) => c.notNull())
      .addColumn("trigger", "text", (c) => c.notNull())
      .addColumn("priority", "integer", (c) => c.notNull())
      .addColumn("current_step_id", "text")
      .addColumn("wake_at", "text")
      .addColumn("flags", "text", (c) => c.notNull())
      .addColumn("contact_email", "text")
      .addColumn("paused_status", "text")
      .addColumn("preempted_by", "text")
      .addColumn("end_reason", "text")
      .addColumn("account_snapshot", "text", (c) => c.notNull())
      .addColumn("started_by", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("finished_at", "text")
      .execute();
    // FR: the same playbook never runs twice at once for one customer.
    await sql`CREATE UNIQUE INDEX playbook_executions_active ON playbook_executions (playbook_id, account_id) WHERE finished_at IS NULL`.execute(
      db,
    );
    await db.schema
      .createIndex("playbook_executions_account")
      .on("playbook_executions")
      .columns(["account_id", "status"])
      .execute();
    await db.schema
      .createIndex("playbook_executions_wake")
      .on("playbook_executions")
      .columns(["status", "wake_at"])
      .execute();
    await db.schema
      .createIndex("playbook_executions_playbook")
      .on("playbook_executions")
      .columns(["playbook_id", "created_at"])
      .execute();

    await db.schema
      .createTable("playbook_step_executions")
      .addColumn("execution_id", "text", (c) => c.notNull())
      .addColumn("step_id", "text", (c) => c.notNull())
      .addColumn("position", "integer", (c) => c.notNull())
      .addColumn("step_type", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("started_at", "text")
      .addColumn("finished_at", "text")
      .addColumn("wake_at", "text")
      .addColumn("output", "text")
      .addColumn("error", "text")
      .addColumn("approval_id", "text")
      .addColumn("branch", "text")
      .addPrimaryKeyConstraint("playbook_step_executions_pk", ["execution_id", "step_id"])
      .execute();

    await db.schema
      .createTable("approvals")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("execution_id", "text", (c) => c.notNull())
      .addColumn("step_id", "text", (c) => c.notNull())
      .addColumn("playbook_id", "text", (c) => c.notNull())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("request", "text", (c) => c.notNull())
      .addColumn("decision", "text")
      .addColumn("edits", "text")
      .addColumn("comment", "text")
      .addColumn("decided_by", "text")
      .addColumn("decided_at", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("approvals_step")
      .on("approvals")
      .columns(["execution_id", "step_id"])
      .unique()
      .execute();
    await db.schema
      .createIndex("approvals_status")
      .on("approvals")
      .columns(["status", "created_at"])
      .execute();

    await db.schema
      .createTable("playbook_trigger_fires")
      .addColumn("playbook_id", "text", (c) => c.notNull())
      .addColumn("account_id", "text", (c) => c.notNull())
      .addColumn("fire_key", "text", (c) => c.notNull())
      .addColumn("outcome", "text", (c) => c.notNull())
      .addColumn("execution_id", "text")
      .addColumn("blocked_by", "text")
      .addColumn("at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("playbook_trigger_fires_pk", ["playbook_id", "account_id", "fire_key"])
      .execute();
  },
};
