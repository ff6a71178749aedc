import { customerSuccessAgent } from "../../src/agents/customer-success/index.js";
import { runScan, type ScanIo, scanCommand } from "../../src/cli/scan.js";
import { ManualClock } from "../../src/clock.js";
import { testConfig } from "../../src/config.js";
import { openStore } from "../../src/store/db.js";
import { NOW } from "../agents/customer-success/helpers.js";
import { describe, expect, test } from "../helpers/fixture.js";
import { tempDataDir } from "../helpers/runtime.js";
import { captureStdio } from "./stdio.js";

test.override("runtimeOptions", {
  agents: [customerSuccessAgent],
  clock: new ManualClock(NOW),
  env: { DEMO_BOOK: "true" },
});

function capture(tty: boolean) {
  let out = "";
  let err = "";
  const io: ScanIo = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    tty,
  };
  return { io, out: () => out, err: () => err };
}

const SEVERITY: Record<string, number> = { low: 1, medium: 2, high: 3, critical: 4 };

describe("account-team scan", () => {
  test("shows progress on stderr, then a table sorted by risk on stdout, and the skipped accounts", async ({
    runtime,
  }) => {
    const c = capture(false);
    expect(await runScan(runtime, {}, c.io)).toBe(0);
    expect(c.err()).toMatch(/^loading {3}\[#+\] 60\/60$/m);
    expect(c.err()).toMatch(/^scoring {3}\[#+\] 60\/60$/m);

    const lines = c.out().split("\n");
    expect(lines[0]).toMatch(/^ACCOUNT\s+SCORE\s+RAG\s+TREND\s+CHURN RISK\s+TOP DRIVER$/);
    const rows = lines.slice(1, 56).map((l) => l.split(/\s{2,}/));
    expect(rows).toHaveLength(55);
    const levels = rows.map((r) => SEVERITY[r[4]!]!);
    expect(levels.every((l) => l !== undefined)).toBe(true);
    expect(levels).toEqual([...levels].sort((a, b) => b - a));
    expect(c.out()).toContain("skipped 5:");
    expect(c.out()).toMatch(
      /scanned 60, scored 55, skipped 5; alerts raised \d, deferred \d+; run run_cli_scan_\S+ succeeded/,
    );
  });

  test("redraws one line on a terminal, and scans a single account with --account", async ({ runtime }) => {
    const c = capture(true);
    expect(await runScan(runtime, { account: "acc_0002" }, c.io)).toBe(0);
    expect(c.err()).toContain("\r");
    expect(c.err().endsWith("\n")).toBe(true);
    expect(c.out()).toContain("(acc_0002)");
    expect(c.out()).toContain("scanned 1,");
  });

  test("exits 1 when the scan does not succeed", async ({ runtime }) => {
    const c = capture(false);
    expect(await runScan(runtime, { account: "acc_missing" }, c.io)).toBe(1);
    expect(c.err()).toContain("account acc_missing not found");
  });

  test("as a command on a fresh store: seeds the demo book, prints only the table on stdout, keeps logs quiet", async () => {
    const config = testConfig({ DATA_DIR: tempDataDir(), DEMO_BOOK: "true", LOG_LEVEL: "info" });
    const all = await captureStdio(() => scanCommand.run(config, {}));
    expect(all.result).toBe(0);
    expect(all.out.split("\n")[0]).toMatch(/^ACCOUNT\s+SCORE\s+RAG\s+TREND\s+CHURN RISK\s+TOP DRIVER$/);
    expect(all.out).toMatch(
      /scanned 60, scored 55, skipped 5; alerts raised [1-5], deferred \d+; run \S+ succeeded/,
    );
    expect(all.err).not.toMatch(/"level":30/);

    // Again on the same store, one account: the book is not seeded twice; both scans are in its history.
    const one = await captureStdio(() => scanCommand.run(config, { account: "acc_0003" }));
    expect(one.result).toBe(0);
    expect(one.out.split("\n")[1]!.split(/\s{2,}/)[0]).toMatch(/\(acc_0003\)$/);
    const store = await openStore(config.dbPath);
    try {
      const accounts = await store.db.selectFrom("accounts").select("id").execute();
      expect(accounts).toHaveLength(60);
      const scans = await store.db
        .selectFrom("health_history")
        .select("run_id")
        .where("account_id", "=", "acc_0003")
        .where("run_id", "like", "run_cli_scan_%")
        .execute();
      expect(scans).toHaveLength(2);
    } finally {
      await store.close();
    }
    expect(one.out).toContain("scanned 1, scored 1, skipped 0");
  });
});
