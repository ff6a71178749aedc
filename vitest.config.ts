import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

/**
 * Three projects: `unit` (pure code: domain rules, parsers, the layer check; no runtime, store or network,
 * `npm run test:unit`), `integration` (everything that builds a runtime, a store, an app or an
 * emulator) and `web` (the console's components in happy-dom with Testing Library). `npm test` runs all
 * three; the browser tests are a config of their own (vitest.e2e.config.ts, `npm run test:e2e`).
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
      {
        extends: true,
        plugins: [react()],
        test: {
          name: "web",
          include: ["web/test/**/*.test.{ts,tsx}"],
          environment: "happy-dom",
          setupFiles: ["web/test/setup.ts"],
        },
      },
    ],
  },
});
