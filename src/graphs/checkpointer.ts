import path from "node:path";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import SQLite from "better-sqlite3";

/**
 * Checkpoints live in their own SQLite file beside the store, so checkpoint writes (large, frequent)
 * never contend with the store's transactions.
 */
export function createCheckpointer(dataDirOrMemory: string): { saver: SqliteSaver; close(): void } {
  const file = dataDirOrMemory === ":memory:" ? ":memory:" : path.join(dataDirOrMemory, "checkpoints.db");
  const db = new SQLite(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  cachePreparedStatements(db);
  const saver = new SqliteSaver(db);
  return {
    saver,
    close: () => {
      if (db.open) db.close();
    },
  };
}

/**
 * Keep only the newest checkpoint of a thread that will not run again: its final state stays readable,
 * the history (one checkpoint per suspension) goes. The savers have no such call, so on SQLite the rows
 * are deleted here, beside the factory that owns the file; any other saver drops the whole thread.
 */
export async function pruneThread(saver: BaseCheckpointSaver, threadId: string): Promise<void> {
  if (!(saver instanceof SqliteSaver)) return saver.deleteThread(threadId);
  const latest = await saver.getTuple({ configurable: { thread_id: threadId } });
  const keep = latest?.checkpoint.id;
  if (!keep) return;
  saver.db.transaction(() => {
    saver.db
      .prepare("DELETE FROM checkpoints WHERE thread_id = ? AND checkpoint_id != ?")
      .run(threadId, keep);
    saver.db.prepare("DELETE FROM writes WHERE thread_id = ? AND checkpoint_id != ?").run(threadId, keep);
  })();
}

/**
 * SqliteSaver prepares its SQL on every call (a few per graph step). better-sqlite3 statements are
 * reusable once their synchronous run/get/all returns, and the saver never changes a statement's mode
 * (pluck, raw, expand), so the same text can share one statement. Bounded: list() builds its SQL from
 * the filter, so a cache that fills up is cleared rather than grown.
 */
function cachePreparedStatements(db: SQLite.Database, max = 256): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, SQLite.Statement>();
  db.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      if (cache.size >= max) cache.clear();
      stmt = prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  }) as typeof db.prepare;
}
