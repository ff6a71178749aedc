import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect } from "kysely";
import { migrationProvider } from "./migrations/index.js";
import type { Database } from "./schema.js";

export interface StoreHandle {
  db: Kysely<Database>;
  /** The raw connection, for transactions that must be synchronous and for the checkpointer. */
  sqlite: SQLite.Database;
  path: string;
  /** Throws when the store cannot be read (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Open (creating if needed) the SQLite store, in WAL mode, and run pending migrations.
 * `:memory:` gives a throwaway store for tests.
 */
export async function openStore(dbPath: string): Promise<StoreHandle> {
  if (dbPath !== ":memory:") fs.mkdirSync(path.dirname(dbPath), { recursive: true });
  const sqlite = new SQLite(dbPath);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    await db.destroy();
    throw new Error(`store migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
  }
  let closed = false;
  return {
    db,
    sqlite,
    path: dbPath,
    async ping() {
      await db.selectFrom("events").select("seq").limit(1).execute();
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy(); // closes the better-sqlite3 connection too
    },
  };
}

/**
 * Kysely's SQLite driver prepares every statement on every query, which costs more than running it.
 * Reuse prepared statements by SQL text (bounded, oldest evicted). Safe because Kysely runs one query
 * at a time per connection and uses all()/run(), which finish before the next query starts.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText);
      if (stmt) {
        cache.delete(sqlText);
      } else {
        stmt = sqlite.prepare(sqlText);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
      }
      cache.set(sqlText, stmt);
      return stmt;
    },
  };
}

export const nowIso = (): string => new Date().toISOString();

export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === "") return fallback;
  return JSON.parse(text) as T;
}
