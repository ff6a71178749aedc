/**
 * The shape of src/: no import cycles, and imports only downward through the layers
 * (composition root and CLI -> api, scheduler, protocols, demo -> agents, playbooks, queue ->
 * graphs, events, store, adapters -> kernel -> domain). No agent imports another (they hand off over the
 * bus), and demo data reaches production only through the composition root and the CLI.
 */
import { describe, expect, it } from "vitest";
import { cycles, graphOf, layerOf, readSrc, violations } from "./import-graph.js";

const fake = (files: Record<string, string>) => graphOf(new Map(Object.entries(files)));

describe("src/", () => {
  const graph = graphOf(readSrc());

  it("every module belongs to a layer", () => {
    for (const file of graph.keys()) expect(() => layerOf(file), file).not.toThrow();
  });

  it("has no import cycle", () => {
    expect(cycles(graph).map((c) => c.join(" -> "))).toEqual([]);
  });

  it("imports only along the layer order, no agent imports another, no demo data in production", () => {
    expect(violations(graph)).toEqual([]);
  });
});

describe("the check itself", () => {
  it("reads every form of import, type-only and dynamic ones included", () => {
    const g = fake({
      "agents/a.ts": [
        'import { x } from "../store/db.js";',
        'import type { Y } from "../events/bus.js";',
        'export * from "../domain/churn.js";',
        'import "../adapters/real.js";',
        'const m = await import("../graphs/agent.js");',
        'import {\n  a,\n  b,\n} from "../clock.js";',
        'import { z } from "zod";',
      ].join("\n"),
      "store/db.ts": "",
      "events/bus.ts": "",
      "domain/churn.ts": "",
      "adapters/real.ts": "",
      "graphs/agent.ts": "",
      "clock.ts": "",
    });
    expect(g.get("agents/a.ts")?.sort()).toEqual([
      "adapters/real.ts",
      "clock.ts",
      "domain/churn.ts",
      "events/bus.ts",
      "graphs/agent.ts",
      "store/db.ts",
    ]);
  });

  it("fails on a cycle, also one through several files and through type-only imports", () => {
    const g = fake({
      "queue/a.ts": 'import { b } from "./b.js";',
      "queue/b.ts": 'import type { C } from "./c.js";',
      "queue/c.ts": 'import { a } from "./a.js";',
      "queue/d.ts": 'import { a } from "./a.js";',
    });
    expect(cycles(g)).toEqual([["queue/a.ts", "queue/b.ts", "queue/c.ts", "queue/a.ts"]]);
  });

  it("fails on an import against the layer order", () => {
    const g = fake({
      "domain/churn.ts": 'import type { Config } from "../config.js";',
      "config.ts": "",
      "store/db.ts": 'import { TaskQueue } from "../queue/service.js";',
      "queue/service.ts": 'import { buildApp } from "../api/app.js";',
      "api/app.ts": 'import type { Runtime } from "../runtime.js";',
      "runtime.ts": "",
    });
    expect(violations(g)).toEqual([
      "domain/churn.ts (domain) imports config.ts (kernel)",
      "domain/churn.ts (domain) imports config.ts: domain imports only domain",
      "store/db.ts (infrastructure) imports queue/service.ts (services)",
      "queue/service.ts (services) imports api/app.ts (entry points)",
      "api/app.ts (entry points) imports runtime.ts (composition root)",
    ]);
  });

  it("fails when an agent imports another agent, or production imports demo data", () => {
    const g = fake({
      "agents/sales/x.ts": 'import { tamAgent } from "../tam/index.js";',
      "agents/tam/index.ts": 'import { h } from "../shared/handoff.js";',
      "agents/shared/handoff.ts": "",
      "agents/index.ts": 'import { tamAgent } from "./tam/index.js";',
      "queue/seed.ts": 'import { BOOK } from "../demo/book.js";',
      "demo/book.ts": "",
    });
    expect(violations(g)).toEqual([
      "agents/sales/x.ts imports another agent's agents/tam/index.ts",
      "queue/seed.ts (services) imports demo/book.ts (entry points)",
      "queue/seed.ts imports demo data demo/book.ts",
    ]);
  });

  it("passes a graph that keeps the order", () => {
    const g = fake({
      "cli/scan.ts": 'import { buildRuntime } from "../runtime.js";',
      "runtime.ts": 'import { seed } from "./demo/seed.js";\nimport { app } from "./api/app.js";',
      "demo/seed.ts": 'import { q } from "../queue/service.js";',
      "api/app.ts": 'import { q } from "../queue/service.js";',
      "queue/service.ts": 'import { db } from "../store/db.js";\nimport { e } from "../errors.js";',
      "store/db.ts": 'import { r } from "../domain/rules.js";',
      "errors.ts": "",
      "domain/rules.ts": 'import { t } from "./types.js";',
      "domain/types.ts": "",
    });
    expect(violations(g)).toEqual([]);
    expect(cycles(g)).toEqual([]);
  });
});
