import { type Kysely, type Migration, sql } from "kysely";

/**
 * The CSM task queue: task types and call playbooks (synced from the code
 * catalogue at boot), tasks, and task outcomes.
 *
 * The queue's invariants live in the schema so no race can break them:
 * - one open task (pending, in_progress, snoozed) per customer and task type: a partial unique index;
 * - one trigger episode (e.g. "day 30 after this signup date") creates one task: a unique trigger_key;
 * - one completion outcome per task: a partial unique index on the outcomes.
 * The queue reads a CSM's open tasks through two partial indexes (by static score, by due date); the
 * queries repeat the literal status list, since SQLite only uses a partial index whose WHERE it can
 * match against the query's own terms.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run against the database before its typed shape exists
type Db = Kysely<any>;

const OPEN = "status IN ('pending','in_progress','snoozed')";

export const m0003TaskQueue: Migration = {
  async up(db: Db) {
    await db.schema
      .createTable("csm_task_types")
      .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      .addColumn("slug", "text", (c) => c.notNull().unique())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("description", "text", (c) => c.notNull())
      .addColumn("category", "text", (c) => c.notNull())
      .addColumn("default_priority", "text", (c) => c.notNull())
      .addColumn("sla_hours", "integer", (c) => c.notNull())
      .addColumn("playbook_id", "integer")
      .addColumn("required_outcomes", "text", (c) => c.notNull())
      .addColumn("quality_gates", "text", (c) => c.notNull())
      .addColumn("auto_trigger_conditions", "text", (c) => c.notNull())
      .addColumn("is_active", "integer", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("csm_playbooks")
      .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      .addColumn("task_type_id", "integer")
      .addColumn("task_type_slug", "text", (c) => c.notNull().unique())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("version", "text", (c) => c.notNull())
      .addColumn("objective", "text", (c) => c.notNull())
      .addColumn("context_fields", "text", (c) => c.notNull())
      .addColumn("opening_script", "text", (c) => c.notNull())
      .addColumn("key_questions", "text", (c) => c.notNull())
      .addColumn("objection_handlers", "text", (c) => c.notNull())
      .addColumn("success_criteria", "text", (c) => c.notNull())
      .addColumn("quality_gates", "text", (c) => c.notNull())
      .addColumn("estimated_duration_minutes", "integer", (c) => c.notNull())
      .addColumn("is_active", "integer", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("csm_tasks")
      .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      .addColumn("customer_id", "text", (c) => c.notNull())
      .addColumn("customer_name", "text", (c) => c.notNull())
      .addColumn("csm_id", "text", (c) => c.notNull())
      .addColumn("task_type", "text", (c) => c.notNull())
      .addColumn("task_type_id", "integer", (c) => c.notNull())
      .addColumn("playbook_id", "integer")
      .addColumn("priority", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("due_date", "text", (c) => c.notNull())
      .addColumn("snooze_until", "text")
      .addColumn("outcome_type", "text")
      .addColumn("outcome_notes", "text")
      .addColumn("sentiment", "text")
      .addColumn("next_action", "text")
      .addColumn("next_action_date", "text")
      .addColumn("quality_gates_completed", "text", (c) => c.notNull())
      .addColumn("metadata", "text", (c) => c.notNull())
      .addColumn("source", "text", (c) => c.notNull())
      .addColumn("trigger_key", "text")
      // The customer's priority inputs as of the last refresh, and the time-independent part
      // of the score: (arr * churn_probability / 1000) * tier_multiplier + priority_base.
      .addColumn("arr", "real")
      .addColumn("tier", "text")
      .addColumn("churn_risk", "text")
      .addColumn("renewal_date", "text")
      .addColumn("static_score", "real", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("started_at", "text")
      .addColumn("completed_at", "text")
      .execute();
    await sql
      .raw(`CREATE UNIQUE INDEX csm_tasks_one_open ON csm_tasks(customer_id, task_type) WHERE ${OPEN}`)
      .execute(db);
    await sql
      .raw(
        "CREATE UNIQUE INDEX csm_tasks_trigger_key ON csm_tasks(trigger_key) WHERE trigger_key IS NOT NULL",
      )
      .execute(db);
    await sql
      .raw(
        `CREATE INDEX csm_tasks_queue_static ON csm_tasks(csm_id, static_score DESC, id DESC) WHERE ${OPEN}`,
      )
      .execute(db);
    await sql
      .raw(`CREATE INDEX csm_tasks_queue_due ON csm_tasks(csm_id, due_date, id) WHERE ${OPEN}`)
      .execute(db);
    await sql
      .raw("CREATE INDEX csm_tasks_snoozed ON csm_tasks(snooze_until) WHERE status = 'snoozed'")
      .execute(db);
    await db.schema
      .createIndex("csm_tasks_customer_type")
      .on("csm_tasks")
      .columns(["customer_id", "task_type", "created_at"])
      .execute();
    await db.schema
      .createIndex("csm_tasks_csm_status")
      .on("csm_tasks")
      .columns(["csm_id", "status"])
      .execute();

    await db.schema
      .createTable("csm_task_outcomes")
      .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
      .addColumn("task_id", "integer", (c) => c.notNull().references("csm_tasks.id"))
      // complete | reschedule | escalate | block | cancel: the lifecycle action that recorded it.
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("outcome_type", "text", (c) => c.notNull())
      .addColumn("objective_achieved", "text")
      .addColumn("blocker_reason", "text")
      .addColumn("sentiment", "text")
      .addColumn("next_action_required", "integer", (c) => c.notNull())
      .addColumn("next_action_date", "text")
      .addColumn("next_action_notes", "text")
      .addColumn("quality_gate_responses", "text", (c) => c.notNull())
      .addColumn("notes", "text", (c) => c.notNull())
      .addColumn("channel", "text")
      .addColumn("csm_id", "text", (c) => c.notNull())
      // Denormalized from the task so the weekly metrics read one table.
      .addColumn("customer_id", "text", (c) => c.notNull())
      .addColumn("task_type", "text", (c) => c.notNull())
      .addColumn("arr", "real")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("metadata", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("csm_task_outcomes_task").on("csm_task_outcomes").column("task_id").execute();
    await db.schema
      .createIndex("csm_task_outcomes_csm_at")
      .on("csm_task_outcomes")
      .columns(["csm_id", "created_at"])
      .execute();
    await db.schema
      .createIndex("csm_task_outcomes_at")
      .on("csm_task_outcomes")
      .column("created_at")
      .execute();
    await sql
      .raw(
        "CREATE UNIQUE INDEX csm_task_outcomes_one_completion ON csm_task_outcomes(task_id) WHERE action = 'complete'",
      )
      .execute(db);
  },

  async down(db: Db) {
    await db.schema.dropTable("csm_task_outcomes").ifExists().execute();
    await db.schema.dropTable("csm_tasks").ifExists().execute();
    await db.schema.dropTable("csm_playbooks").ifExists().execute();
    await db.schema.dropTable("csm_task_types").ifExists().execute();
  },
};
