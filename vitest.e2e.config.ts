import { defineConfig } from "vitest/config";

/**
 * The browser tests (`npm run test:e2e`): the real service on a temp data dir with the demo book, driven
 * in Debian's Chromium through playwright-core. Not part of `npm test`, which needs no browser. The
 * global setup builds the console once; each file starts its own service.
 */
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.ts"],
    globalSetup: ["test/e2e/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // One file at a time: each runs a service and a browser, and the machine has two cores.
    fileParallelism: false,
  },
});
