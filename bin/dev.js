#!/usr/bin/env node
// `npm run dev`: the API (tsx watch, on PORT or 3000) and Vite's dev server for the console (:5173, which
// proxies the API's paths to it), side by side; Ctrl-C stops both.
import { spawn } from "node:child_process";

const children = [
  ["api", ["run", "dev:api"]],
  ["web", ["run", "dev:web"]],
].map(([name, args]) => {
  const child = spawn("npm", args, { stdio: ["ignore", "pipe", "pipe"], env: process.env });
  const prefix = (chunk) =>
    String(chunk)
      .split("\n")
      .filter((l) => l.length > 0)
      .map((l) => `[${name}] ${l}\n`)
      .join("");
  child.stdout.on("data", (d) => process.stdout.write(prefix(d)));
  child.stderr.on("data", (d) => process.stderr.write(prefix(d)));
  child.on("exit", (code) => {
    process.stderr.write(`[${name}] exited (${code ?? "signal"})\n`);
    stop(code ?? 1);
  });
  return child;
});

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  setTimeout(() => process.exit(code), 500).unref();
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
