#!/usr/bin/env node
// Runs the compiled CLI when `npm run build` produced dist/, the TypeScript source (through tsx) otherwise.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const built = fileURLToPath(new URL("../dist/cli/index.js", import.meta.url));
if (existsSync(built)) {
  await import(built);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/index.ts");
}
