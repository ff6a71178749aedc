import type { Migration, MigrationProvider } from "kysely";
import { m0001Foundation } from "./0001_foundation.js";

/**
 * Versioned migrations, applied at boot in name order. Never edit a shipped migration: add a file
 * `NNNN_name.ts` here and one entry below. Kept in code (not loaded from disk) so tsx and dist/ agree.
 */
export const MIGRATIONS: Record<string, Migration> = {
  "0001_foundation": m0001Foundation,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return MIGRATIONS;
  },
};
