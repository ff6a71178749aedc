/**
 * The real service for a browser test: `account-team start` in a child process on a fresh data dir with
 * the demo book, on a free port, exactly as `npm start` runs it (the console already built by the
 * global setup). Its stdout is kept, so a test can read the banner.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const BIN = path.resolve("bin/account-team.js");

export const KEYS = {
  admin: "e2e-admin-key-0123456789abcdef",
  maya: "e2e-maya-key-0123456789abcdef",
  lena: "e2e-lena-key-0123456789abcdef",
  lead: "e2e-lead-key-0123456789abcdef",
} as const;

export const MAYA = "maya.chen@example.com";
export const LENA = "lena.fischer@example.com";

/** Keys for the scope scenarios: an admin, two CSMs bound to their queues, and a team lead. */
export const E2E_API_KEYS = [
  `admin:${KEYS.admin}:admin`,
  `maya:${KEYS.maya}:read+cs:tasks+csm_id=${MAYA}`,
  `lena:${KEYS.lena}:read+cs:tasks+csm_id=${LENA}`,
  `lead:${KEYS.lead}:read+cs:tasks+cs:team`,
].join(",");

export interface RunningService {
  url: string;
  dataDir: string;
  stdout(): string;
  /** A bearer-key call to the API (setting up or checking what the page shows). */
  api<T = unknown>(method: string, urlPath: string, body?: unknown, key?: string): Promise<T>;
  /** SIGTERM and wait; the data dir is removed unless keepData. */
  stop(opts?: { keepData?: boolean }): Promise<void>;
}

export async function startService(
  env: Record<string, string> = {},
  existingDataDir?: string,
): Promise<RunningService> {
  const dataDir = existingDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "account-team-e2e-"));
  const child: ChildProcess = spawn(process.execPath, [BIN, "start"], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DATA_DIR: dataDir,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "info",
      SCHEDULER_ENABLED: "false",
      CONSOLE_BUILD: "off",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => {
    out += String(d);
  });
  child.stderr!.on("data", (d) => {
    err += String(d);
  });
  const exited = new Promise<void>((r) => child.on("exit", () => r()));
  const deadline = Date.now() + 45_000;
  let url: string | undefined;
  while (!url) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill("SIGKILL");
      throw new Error(`the service did not start:\n${err}\n${out.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
    const line = out.split("\n").find((l) => l.includes('"account-team listening"'));
    if (line) url = (JSON.parse(line) as { url: string }).url;
  }
  const base = url;
  const defaultKey = env["API_KEYS"]
    ? KEYS.admin
    : fs.readFileSync(path.join(dataDir, "admin-api-key"), "utf8").trim();
  return {
    url: base,
    dataDir,
    stdout: () => out,
    async api<T>(method: string, urlPath: string, body?: unknown, key = defaultKey): Promise<T> {
      const res = await fetch(`${base}${urlPath}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${urlPath}: ${res.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
    async stop(opts = {}) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
      if (!opts.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
