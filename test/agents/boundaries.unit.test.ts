/**
 * Agents never import each other: a module under src/agents/<id>/ may import its own folder,
 * src/agents/shared/ and anything outside src/agents/, but never another agent's folder. Hand-offs ride the
 * bus. The registry (src/agents/index.ts) is the one place that names every agent.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const AGENTS_DIR = path.resolve(import.meta.dirname, "../../src/agents");
const SHARED = "shared";

/** Every module specifier a TypeScript source imports or re-exports, statically or dynamically. */
function importSpecifiers(source: string): string[] {
  const out: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"]*?\bfrom\s*["']([^"']+)["']/g, // import x from "…", export * from "…"
    /\bimport\s*["']([^"']+)["']/g, // import "…" (side effect)
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, // import("…")
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) out.push(m[1]!);
  return out;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx|mts|js)$/.test(e.name) ? [p] : [];
  });
}

/** The agent folder a path lies in (first segment under src/agents/), or null outside any. */
function agentFolderOf(file: string): string | null {
  const rel = path.relative(AGENTS_DIR, file);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return null;
  const [first, ...rest] = rel.split(path.sep);
  return rest.length > 0 ? first! : null; // files directly in src/agents/ (index.ts, deps.ts) are no folder
}

/** Imports from `file` (whose text is `source`) that reach into another agent's folder. */
function crossAgentImports(file: string, source: string): string[] {
  const own = agentFolderOf(file);
  if (own === null) return [];
  return importSpecifiers(source).filter((spec) => {
    if (!spec.startsWith(".")) return false; // packages
    const target = agentFolderOf(path.resolve(path.dirname(file), spec));
    return target !== null && target !== own && target !== SHARED;
  });
}

describe("agent folders", () => {
  const folders = fs
    .readdirSync(AGENTS_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== SHARED)
    .map((e) => e.name);

  it("are the three agents, each with its index", () => {
    expect(folders.sort()).toEqual(["customer-success", "sales", "tam"]);
    for (const f of folders) expect(fs.existsSync(path.join(AGENTS_DIR, f, "index.ts")), f).toBe(true);
  });

  it("never import another agent's folder (src/agents/shared is common ground)", () => {
    const violations: string[] = [];
    for (const dir of [...folders, SHARED]) {
      for (const file of sourceFiles(path.join(AGENTS_DIR, dir))) {
        for (const spec of crossAgentImports(file, fs.readFileSync(file, "utf8")))
          violations.push(`${path.relative(AGENTS_DIR, file)} imports ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("the check catches every form of import into another agent, and allows the rest", () => {
    const file = path.join(AGENTS_DIR, "sales", "handlers", "x.ts");
    const bad = [
      'import { tamAgent } from "../../tam/index.js";',
      'import type { Outreach } from "../../tam/prompts.js";',
      'export { buildTamGraph } from "../../tam/graph.js";',
      'export * from "../../customer-success/escalations.js";',
      'const m = await import("../../tam/outreach.js");',
      'import "../../customer-success/index.js";',
      "import {\n  a,\n  b,\n} from '../../tam/tasks.js';",
    ];
    for (const line of bad) expect(crossAgentImports(file, line), line).toHaveLength(1);
    const fine = [
      'import { requestHandoff } from "../../shared/handoff.js";',
      'import { AGENT_ID } from "../tasks.js";',
      'import type { AgentDeps } from "../../deps.js";',
      'import { scoreTamHealth } from "../../../domain/health/tam-score.js";',
      'import { z } from "zod";',
      'const TAM_AGENT = "tam"; // named, not imported',
    ];
    for (const line of fine) expect(crossAgentImports(file, line), line).toEqual([]);
    // shared/ may not reach into an agent either.
    expect(
      crossAgentImports(
        path.join(AGENTS_DIR, "shared", "x.ts"),
        'import { salesAgent } from "../sales/index.js";',
      ),
    ).toHaveLength(1);
  });
});
