import { LocalRecords } from "../adapters/records/local.js";
import { systemClock } from "../clock.js";
import { seedDemoBook } from "../demo/seed.js";
import { openStore } from "../store/db.js";
import { SideEffects } from "../store/side-effects.js";
import type { Command } from "./command.js";

export const seedDemoCommand: Command = {
  name: "seed-demo",
  usage: "seed-demo [--accounts N] [--seed S] [--force]",
  summary: "Load the deterministic demo book into the local store (bigger books for benchmarks)",
  options: { accounts: { type: "string" }, seed: { type: "string" }, force: { type: "boolean" } },
  async run(config, args) {
    const accounts = Number(args.accounts ?? config.DEMO_BOOK_ACCOUNTS);
    const seed = Number(args.seed ?? 42);
    if (!Number.isInteger(accounts) || accounts < 1) {
      process.stderr.write("seed-demo: --accounts must be a whole number >= 1\n");
      return 2;
    }
    if (!Number.isInteger(seed)) {
      process.stderr.write("seed-demo: --seed must be a whole number\n");
      return 2;
    }
    const store = await openStore(config.dbPath);
    try {
      const records = new LocalRecords(store.db, new SideEffects(store.db, systemClock), systemClock);
      if (args.force) {
        await store.db.deleteFrom("tickets").execute();
        await store.db.deleteFrom("usage").execute();
        await store.db.deleteFrom("health_history").execute();
        await store.db.deleteFrom("accounts").execute();
      }
      const started = Date.now();
      const result = await seedDemoBook(store.db, records, systemClock, { accounts, seed });
      if (!result) {
        process.stdout.write(
          `the store at ${config.dbPath} already holds accounts; pass --force to replace them\n`,
        );
        return 1;
      }
      process.stdout.write(
        `loaded ${result.accounts} accounts, ${result.tickets} tickets, ${result.usage} usage weeks, ` +
          `${result.health_history} health points into ${config.dbPath} in ${Date.now() - started} ms\n`,
      );
      return 0;
    } finally {
      await store.close();
    }
  },
};
