/** Runs every benchmark in bench/ one after another (npm run bench). Each prints its own figures. */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "run-all.ts" && !f.startsWith("_"))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();
let failed = 0;
for (const b of benches) {
  console.log(`\n### ${b}`);
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(dir, b)], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
