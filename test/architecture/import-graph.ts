/**
 * The import graph of src/, read with TypeScript's own pre-processor (every static import and
 * re-export, type-only ones included, side-effect imports and dynamic `import()`), and the checks the
 * layer test runs on it: no cycles, imports only downward in the layer order, no agent importing another.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

export const SRC = path.resolve(import.meta.dirname, "../../src");

/**
 * The layers, lowest first. A module may import its own layer or a lower one, never a higher one.
 * `domain/` holds pure business rules and imports nothing of ours but itself.
 */
export const LAYERS: ReadonlyArray<{ name: string; members: readonly string[] }> = [
  { name: "domain", members: ["domain/"] },
  { name: "kernel", members: ["config.ts", "logger.ts", "clock.ts", "errors.ts"] },
  { name: "infrastructure", members: ["graphs/", "events/", "store/", "adapters/"] },
  { name: "services", members: ["agents/", "playbooks/", "queue/"] },
  { name: "entry points", members: ["api/", "scheduler/", "protocols/", "demo/"] },
  // The CLI builds runtimes of its own (scan, qbr, doctor), so it sits with the composition root.
  { name: "composition root", members: ["runtime.ts", "main.ts", "cli/"] },
];

/** Demo data reaches production only through the composition root and the CLI's seeding commands. */
const DEMO_IMPORTERS = ["runtime.ts", "main.ts", "cli/", "demo/"];

export function layerOf(rel: string): number {
  const i = LAYERS.findIndex((l) => l.members.some((m) => (m.endsWith("/") ? rel.startsWith(m) : rel === m)));
  if (i < 0) throw new Error(`${rel} belongs to no layer: add its folder to LAYERS`);
  return i;
}

export type ImportGraph = Map<string, string[]>;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx|mts)$/.test(e.name) && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

/** The src-relative path a relative specifier of `fromRel` resolves to (".js" written for ".ts"). */
function resolve(fromRel: string, spec: string, files: Set<string>): string | null {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromRel), spec));
  const candidates = [
    base,
    base.replace(/\.js$/, ".ts"),
    base.replace(/\.js$/, ".tsx"),
    `${base}.ts`,
    `${base}/index.ts`,
  ];
  return candidates.find((c) => files.has(c)) ?? null;
}

/** Relative import specifiers of one source text. */
export function importsOf(source: string): string[] {
  const info = ts.preProcessFile(source, true, true);
  return info.importedFiles.map((f) => f.fileName).filter((s) => s.startsWith("."));
}

/** Build the graph from a map of src-relative path -> source text. */
export function graphOf(sources: Map<string, string>): ImportGraph {
  const files = new Set(sources.keys());
  const graph: ImportGraph = new Map();
  for (const [rel, text] of sources) {
    const targets = importsOf(text)
      .map((spec) => resolve(rel, spec, files))
      .filter((t): t is string => t !== null);
    graph.set(rel, [...new Set(targets)]);
  }
  return graph;
}

export function readSrc(dir = SRC): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of sourceFiles(dir))
    out.set(path.relative(dir, f).split(path.sep).join("/"), fs.readFileSync(f, "utf8"));
  return out;
}

/** Every elementary cycle found by a depth-first search, each once (as a path closing on its start). */
export function cycles(graph: ImportGraph): string[][] {
  const found: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (n: string) => {
    state.set(n, "open");
    stack.push(n);
    for (const m of graph.get(n) ?? []) {
      if (state.get(m) === "open") {
        const cycle = stack.slice(stack.indexOf(m));
        const key = [...cycle].sort().join(" ");
        if (!seen.has(key)) {
          seen.add(key);
          found.push([...cycle, m]);
        }
      } else if (!state.has(m)) visit(m);
    }
    stack.pop();
    state.set(n, "done");
  };
  for (const n of [...graph.keys()].sort()) if (!state.has(n)) visit(n);
  return found;
}

/** The agent folder a module lies in (`agents/<id>/...`), or null. */
const agentOf = (rel: string): string | null => {
  const m = /^agents\/([^/]+)\//.exec(rel);
  return m && m[1] !== "shared" ? m[1]! : null;
};

/** Imports that break the layer order, reach into another agent, or bring demo data into production. */
export function violations(graph: ImportGraph): string[] {
  const out: string[] = [];
  for (const [from, targets] of graph) {
    const fromLayer = layerOf(from);
    for (const to of targets) {
      const toLayer = layerOf(to);
      if (toLayer > fromLayer)
        out.push(`${from} (${LAYERS[fromLayer]!.name}) imports ${to} (${LAYERS[toLayer]!.name})`);
      if (fromLayer === 0 && toLayer !== 0)
        out.push(`${from} (domain) imports ${to}: domain imports only domain`);
      const a = agentOf(from);
      const b = agentOf(to);
      if (b !== null && a !== b && from.startsWith("agents/") && from !== "agents/index.ts")
        out.push(`${from} imports another agent's ${to}`);
      if (
        to.startsWith("demo/") &&
        !DEMO_IMPORTERS.some((d) => (d.endsWith("/") ? from.startsWith(d) : from === d))
      )
        out.push(`${from} imports demo data ${to}`);
    }
  }
  return out;
}
