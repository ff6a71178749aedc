import { customerSuccessAgent } from "../../src/agents/customer-success/index.js";
import { COMMANDS } from "../../src/cli/commands.js";
import { type QbrIo, runQbr } from "../../src/cli/qbr.js";
import { ManualClock } from "../../src/clock.js";
import { demoBook, HEALTHY_ID, NOW, qbrRows } from "../agents/qbr/helpers.js";
import { describe, expect, test } from "../helpers/fixture.js";

test.override("runtimeOptions", {
  agents: [customerSuccessAgent],
  clock: new ManualClock(NOW),
  env: { DEMO_BOOK: "true" },
});

function capture() {
  let out = "";
  let err = "";
  const io: QbrIo = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
  };
  return { io, out: () => out, err: () => err };
}

describe("account-team qbr", () => {
  test("is a registered command", () => {
    expect(COMMANDS.find((c) => c.name === "qbr")?.usage).toBe(
      'qbr --account ID [--period "Q3 2026"] [--force-new]',
    );
  });

  test("prints the QBR as Markdown on stdout and says where it was written", async ({ runtime }) => {
    const name = demoBook.accounts.find((a) => a.id === HEALTHY_ID)!.name;
    const c = capture();
    expect(await runQbr(runtime, { account: HEALTHY_ID, period: "Q3 2026" }, c.io)).toBe(0);
    expect(c.out()).toMatch(new RegExp(`^# QBR - ${name} - Q3 2026\n\n> `));
    for (const h of [
      "Account Health Summary",
      "ROI & Business Impact",
      "Feature Adoption Scorecard",
      "Expansion & Next Steps",
    ]) {
      expect(c.out()).toContain(`## ${h}\n`);
    }
    const qbr = JSON.parse((await qbrRows(runtime, HEALTHY_ID))[0]!.data);
    expect(c.err()).toContain(`wrote the Q3 2026 QBR of ${name} to ${qbr.url} (local records)`);
    expect(c.err()).toMatch(/review draft draft_\S+ for \S+@example\.com/);

    const again = capture();
    expect(await runQbr(runtime, { account: HEALTHY_ID, period: "Q3 2026" }, again.io)).toBe(0);
    expect(again.err()).toContain(`rewrote the Q3 2026 QBR of ${name} to ${qbr.url}`);
  });

  test("exits 2 on a malformed period and 1 when the QBR cannot be generated", async ({ runtime }) => {
    const bad = capture();
    expect(await runQbr(runtime, { account: HEALTHY_ID, period: "third quarter" }, bad.io)).toBe(2);
    expect(bad.err()).toContain('period: expected a quarter such as "Q3 2026"');
    const missing = capture();
    expect(await runQbr(runtime, { account: "acc_missing" }, missing.io)).toBe(1);
    expect(missing.out()).toBe("");
    expect(missing.err()).toMatch(/qbr partial: account acc_missing not found/);
  });
});
