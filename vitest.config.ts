import { defineConfig } from "vitest/config";

/**
 * Two projects: `unit` (pure code: domain rules, parsers, the layer check; no runtime, store or network,
 * `npm run test:unit`) and `integration` (everything that builds a runtime, a store, an app or an
 * emulator). `npm test` runs both.
 */
const UNIT = ["test/domain/**/*.test.ts", "test/architecture/**/*.test.ts", "test/**/*.unit.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    projects: [
      { extends: true, test: { name: "unit", include: UNIT } },
      { extends: true, test: { name: "integration", include: ["test/**/*.test.ts"], exclude: UNIT } },
    ],
  },
});
