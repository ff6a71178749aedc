import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempDataDir } from "../helpers/runtime.js";

const BIN = path.resolve("bin/account-team.js");

function run(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += String(d);
  });
  child.stderr.on("data", (d) => {
    stderr += String(d);
  });
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe("account-team CLI", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill("SIGKILL");
  });

  it("start: serves /healthz on the embedded default with the demo book, prints the key, stops on SIGTERM", async () => {
    const dataDir = tempDataDir();
    const p = run(["start"], { DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "info" });
    child = p.child;
    const started = Date.now();
    let url: string | undefined;
    // The 10 s start-up target is measured by bench/startup.ts; here only a generous bound against hangs.
    while (!url && Date.now() - started < 40_000) {
      await new Promise((r) => setTimeout(r, 100));
      const line = p
        .out()
        .split("\n")
        .find((l) => l.includes('"account-team listening"'));
      if (line) url = JSON.parse(line).url;
    }
    expect(url, p.err()).toBeDefined();
    const health = await fetch(`${url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok" });
    // The console: built first when web/dist was missing or stale, served at / and for its client routes.
    const page = await fetch(`${url}/queue`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(p.out()).toContain(`Console: ${url}/`);

    const key = fs.readFileSync(path.join(dataDir, "admin-api-key"), "utf8").trim();
    expect(p.out()).toContain(key);
    expect(p.out()).toContain(`curl -H "Authorization: Bearer ${key}"`);
    const accounts = await fetch(`${url}/v1/accounts?limit=500`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(((await accounts.json()) as { accounts: unknown[] }).accounts.length).toBeGreaterThanOrEqual(60);

    // Authorization headers never reach the logs.
    expect(p.out()).not.toContain(`Bearer ${key}"}`);

    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    expect(p.out()).toContain("shutting down");
  }, 60_000);

  it("bad config exits non-zero with one line naming the variable, no stack trace", async () => {
    const p = run(["start"], { PORT: "abc", DATA_DIR: tempDataDir() });
    child = p.child;
    expect(await p.exited).toBe(2);
    const lines = p.err().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^account-team: invalid configuration: PORT: /);
  }, 20_000);

  it("doctor names the adapter of each port and its reachability", async () => {
    const p = run(["doctor"], { DATA_DIR: tempDataDir(), LOG_LEVEL: "silent" });
    child = p.child;
    expect(await p.exited).toBe(0);
    for (const port of ["records", "mail", "chat", "llm"])
      expect(p.out()).toMatch(new RegExp(`ok\\s+${port}\\s+\\w+`));
  }, 20_000);
});
