/**
 * Time from `account-team start` (fresh data dir: migrations, demo book, demo task history) to the first
 * 200 from /healthz, against a bare `node:http` server started the same way in the same run.
 * Target: under 10 s on a fresh clone.
 *   npx tsx bench/startup.ts [--runs N]
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const RUNS = Number(values.runs);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BARE = `require("node:http").createServer((q,s)=>s.end("ok")).listen(0,"127.0.0.1",function(){console.log(JSON.stringify({msg:"account-team listening",url:"http://127.0.0.1:"+this.address().port}))})`;

async function timeToHealthy(args: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d) => {
    out += String(d);
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
      if (performance.now() - started > 120_000) throw new Error("not healthy after 120 s");
      const line = out.split("\n").find((l) => l.includes('"account-team listening"'));
      if (line) {
        const url = (JSON.parse(line) as { url: string }).url;
        const res = await fetch(`${url}/healthz`).catch(() => null);
        if (res?.ok) return performance.now() - started;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const service: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-start-"));
    service.push(
      await timeToHealthy(["bin/account-team.js", "start"], {
        DATA_DIR: dataDir,
        PORT: "0",
        LOG_LEVEL: "info",
      }),
    );
    bare.push(await timeToHealthy(["-e", BARE], {}));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const s = median(service);
  const b = median(bare);
  console.log(`start to /healthz, fresh data dir (median of ${RUNS}): ${(s / 1000).toFixed(2)} s`);
  console.log(`bare node:http server, same run:              ${(b / 1000).toFixed(2)} s`);
  console.log(
    `ratio service/bare: ${(s / b).toFixed(1)}x; target under 10 s: ${s < 10_000 ? "met" : "MISSED"}`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
