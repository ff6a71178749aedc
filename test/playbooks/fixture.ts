/**
 * The playbook tests' fixture: the shared runtime and app (test/helpers/fixture.ts) built with the
 * playbook agents, a demo book and a manual clock, once per test file.
 *
 *   import { test } from "./fixture.js";
 *   test.override("playbookOptions", { accounts: 30 }); // optional, per file
 *   test.beforeAll(({ runtime, app, clock }) => { ... });
 */
import { ManualClock } from "../../src/clock.js";
import { test as base } from "../helpers/fixture.js";
import { type PlaybookRuntimeOptions, playbookRuntimeOptions, START } from "./helpers.js";

export const test = base
  .extend("playbookOptions", { scope: "file" }, {} as PlaybookRuntimeOptions)
  .extend("clock", { scope: "file" }, async (): Promise<ManualClock> => new ManualClock(START))
  .extend("runtimeOptions", { scope: "file" }, async ({ playbookOptions, clock }) =>
    playbookRuntimeOptions({ ...playbookOptions, clock }),
  );

export { describe, expect } from "vitest";
