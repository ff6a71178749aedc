import path from "node:path";
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
