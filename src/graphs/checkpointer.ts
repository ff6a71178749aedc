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
  const saver = new SqliteSaver(db);
  return {
    saver,
    close: () => {
      if (db.open) db.close();
    },
  };
}
