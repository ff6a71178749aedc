/**
 * TAM `health_scan`: technical health from Tickets and the integration heartbeat written to the records,
 * and escalations (at most TAM_ESCALATIONS_MAX_PER_SCAN, de-duplicated, deferred ones not lost).
 */
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../../../src/clock.js";
import { MS_PER_DAY } from "../../../../src/domain/calendar.js";
import type { Runtime } from "../../../../src/runtime.js";
import {
  drafts,
  eventsOf,
  hoursBeforeNow,
  loadRecords,
  makeAccount,
  makeTicket,
} from "../../expansion/fixtures.js";
import { alertRows, amberTickets, NOW, redTickets, tamResult, tamRuntime, tamScan } from "../helpers.js";

describe("TAM health_scan: scores and records", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  it("reads each account's Tickets and heartbeat, and writes Health Score, Health Status and Last Health Scan", async () => {
    runtime = await tamRuntime();
    const p3s = (id: string, n: number) => Array.from({ length: n }, () => makeTicket(id, "P3", 2));
    await loadRecords(
      runtime,
      [
        makeAccount({ id: "acc_clean", csm_health_score: 77, csm_health_rag: "GREEN" }),
        makeAccount({ id: "acc_aged" }),
        makeAccount({ id: "acc_backlog" }),
        makeAccount({ id: "acc_closed" }),
        makeAccount({ id: "acc_onboarding", status: "Onboarding", last_heartbeat: hoursBeforeNow(150) }),
        makeAccount({ id: "acc_churned", status: "Churned" }),
      ],
      [
        ...amberTickets("acc_aged"),
        ...p3s("acc_backlog", 8),
        makeTicket("acc_closed", "P1", 500, "Closed"),
        makeTicket("acc_closed", "P2", 500, "Resolved"),
        ...p3s("acc_onboarding", 6),
        ...redTickets("acc_churned"),
      ],
    );

    const run = await tamScan(runtime);
    expect(run.status).toBe("succeeded");
    const r = tamResult(run);
    expect(r).toMatchObject({ scanned: 5, scored: 5, skipped: [], records_written: 5, records_failed: 0 });
    expect(r.health_scores).toEqual([
      {
        account_id: "acc_aged",
        score: 60,
        status: "Amber",
        previous_status: null,
        open_tickets: 2,
        aged_p1_p2: 2,
      },
      {
        account_id: "acc_onboarding",
        score: 65,
        status: "Amber",
        previous_status: null,
        open_tickets: 6,
        aged_p1_p2: 0,
      },
      {
        account_id: "acc_backlog",
        score: 85,
        status: "Green",
        previous_status: null,
        open_tickets: 8,
        aged_p1_p2: 0,
      },
      {
        account_id: "acc_clean",
        score: 100,
        status: "Green",
        previous_status: null,
        open_tickets: 0,
        aged_p1_p2: 0,
      },
      {
        account_id: "acc_closed",
        score: 100,
        status: "Green",
        previous_status: null,
        open_tickets: 0,
        aged_p1_p2: 0,
      },
    ]);
    const expected: Record<string, [number, string]> = {
      acc_clean: [100, "Green"],
      acc_aged: [60, "Amber"],
      acc_backlog: [85, "Green"],
      acc_closed: [100, "Green"],
      acc_onboarding: [65, "Amber"],
    };
    for (const [id, [score, status]] of Object.entries(expected)) {
      expect(await runtime.records.getAccount(id), id).toMatchObject({
        health_score: score,
        health_status: status,
        last_health_scan: NOW,
      });
    }
    // The TAM writes only its own fields.
    expect(await runtime.records.getAccount("acc_clean")).toMatchObject({
      csm_health_score: 77,
      csm_health_rag: "GREEN",
    });
    // A churned account is not scanned at all; a first Amber is no escalation (nothing slipped).
    expect(await runtime.records.getAccount("acc_churned")).toMatchObject({
      health_score: null,
      health_status: null,
    });
    expect(r.escalations).toEqual([]);
    expect(await drafts(runtime)).toHaveLength(0);
    expect(r.confidence).toBe("high");

    // The scan's progress went through the bus.
    const progress = await runtime.bus.replay({ since: 0, types: ["run.progress"], run_id: run.run_id });
    expect(progress.map((e) => (e.payload as { phase: string }).phase)).toEqual(
      expect.arrayContaining(["score", "persist"]),
    );
  });

  it("scans one account on request, says why a churned one is skipped, and fails for an unknown one", async () => {
    runtime = await tamRuntime();
    await loadRecords(
      runtime,
      [
        makeAccount({ id: "acc_1" }),
        makeAccount({ id: "acc_2" }),
        makeAccount({ id: "acc_gone", status: "Churned" }),
      ],
      amberTickets("acc_1"),
    );
    const one = tamResult(await tamScan(runtime, { type: "health_scan", account_id: "acc_1" }));
    expect(one).toMatchObject({ scanned: 1, scored: 1 });
    expect(one.health_scores.map((h) => [h.account_id, h.score])).toEqual([["acc_1", 60]]);
    expect((await runtime.records.getAccount("acc_2"))!.health_score).toBeNull();

    const churned = tamResult(await tamScan(runtime, { type: "health_scan", account_id: "acc_gone" }));
    expect(churned).toMatchObject({
      scanned: 1,
      scored: 0,
      skipped: [{ account_id: "acc_gone", reason: "status is Churned: not scanned" }],
    });

    const unknown = await tamScan(runtime, { type: "health_scan", account_id: "acc_nope" });
    expect(unknown.status).toBe("failed");
    expect(unknown.error).toContain("acc_nope not found");
  });
});

describe("TAM health_scan: how many escalate", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close({ graceMs: 0 });
    runtime = undefined;
  });

  const sevenRed = () =>
    Array.from({ length: 7 }, (_, i) => makeAccount({ id: `acc_r${i + 1}`, arr: (i + 1) * 10_000 }));

  it("escalates at most 5 accounts a scan, most revenue at stake first; the rest are deferred, then compete again the next day", async () => {
    const clock = new ManualClock(NOW);
    runtime = await tamRuntime({ clock });
    const accounts = sevenRed();
    await loadRecords(
      runtime,
      accounts,
      accounts.flatMap((a) => redTickets(a.id)),
    );

    const first = tamResult(await tamScan(runtime));
    expect(first.escalations_raised).toBe(5);
    expect(first.escalations.map((e) => e.account_id)).toEqual([
      "acc_r7",
      "acc_r6",
      "acc_r5",
      "acc_r4",
      "acc_r3",
    ]);
    expect(first.escalations[0]).toMatchObject({
      score: 20,
      status: "Red",
      previous_status: null,
      reasons: ["score 20 is below 40", "status became Red (was unknown)"],
      failed_channels: [],
      generated_by: "template",
    });
    expect(first.escalations_deferred).toEqual([
      { account_id: "acc_r2", score: 20, status: "Red", reason: "over the limit of 5 escalations per scan" },
      { account_id: "acc_r1", score: 20, status: "Red", reason: "over the limit of 5 escalations per scan" },
    ]);
    expect(await drafts(runtime)).toHaveLength(5);
    expect(await alertRows(runtime)).toHaveLength(5);
    expect(await eventsOf(runtime, "tam.escalation_raised")).toHaveLength(5);

    // A second scan the same day spends no fresh budget: the escalated are repeats, the deferred wait.
    const again = tamResult(await tamScan(runtime));
    expect(again.escalations_raised).toBe(0);
    expect(again.escalations_suppressed.map((s) => s.account_id).sort()).toEqual([
      "acc_r3",
      "acc_r4",
      "acc_r5",
      "acc_r6",
      "acc_r7",
    ]);
    expect(again.escalations_suppressed[0]!.reason).toMatch(
      /^escalated at Red on 2026-03-11; repeats after 7 days/,
    );
    expect(again.escalations_deferred.map((d) => [d.account_id, d.reason])).toEqual([
      [
        "acc_r1",
        "deferred earlier today (escalation budget used); competes again in the next day's first scan",
      ],
      [
        "acc_r2",
        "deferred earlier today (escalation budget used); competes again in the next day's first scan",
      ],
    ]);
    expect(await drafts(runtime)).toHaveLength(5);

    clock.advance(MS_PER_DAY);
    const nextDay = tamResult(await tamScan(runtime));
    expect(nextDay.escalations.map((e) => e.account_id)).toEqual(["acc_r2", "acc_r1"]);
    expect(nextDay.escalations_deferred).toEqual([]);
    expect(await drafts(runtime)).toHaveLength(7);
    expect(new Set((await drafts(runtime)).map((d) => d.account_id)).size).toBe(7);
  });

  it("takes the limit from TAM_ESCALATIONS_MAX_PER_SCAN", async () => {
    runtime = await tamRuntime({ env: { TAM_ESCALATIONS_MAX_PER_SCAN: "2" } });
    const accounts = sevenRed();
    await loadRecords(
      runtime,
      accounts,
      accounts.flatMap((a) => redTickets(a.id)),
    );
    const r = tamResult(await tamScan(runtime));
    expect(r.escalations.map((e) => e.account_id)).toEqual(["acc_r7", "acc_r6"]);
    expect(r.escalations_deferred).toHaveLength(5);
    expect(r.escalations_deferred[0]!.reason).toBe("over the limit of 2 escalations per scan");
    expect(await drafts(runtime)).toHaveLength(2);
  });

  it("de-duplicates like CSM alerts: a repeat waits for a worse status or ALERT_REPEAT_DAYS", async () => {
    const clock = new ManualClock(NOW);
    runtime = await tamRuntime({ clock });
    await loadRecords(
      runtime,
      [makeAccount({ id: "acc_1", health_status: "Green", health_score: 90 })],
      amberTickets("acc_1"),
    );
    const escalated = async () => (await eventsOf(runtime!, "tam.escalation_raised")).map((e) => e.payload);

    // Green -> Amber escalates.
    const first = tamResult(await tamScan(runtime));
    expect(first.escalations).toMatchObject([
      {
        account_id: "acc_1",
        status: "Amber",
        previous_status: "Green",
        reasons: ["status went from Green to Amber"],
      },
    ]);
    // Staying Amber is not a new escalation.
    const stays = tamResult(await tamScan(runtime));
    expect([stays.escalations, stays.escalations_suppressed, stays.escalations_deferred]).toEqual([
      [],
      [],
      [],
    ]);
    expect(stays.health_scores[0]).toMatchObject({ status: "Amber", previous_status: "Amber" });

    // Worse (Red) escalates again the same day.
    await loadRecords(runtime, [], amberTickets("acc_1"));
    const worse = tamResult(await tamScan(runtime));
    expect(worse.escalations).toMatchObject([
      { account_id: "acc_1", status: "Red", score: 20, previous_status: "Amber" },
    ]);

    // Still Red (score below 40) is a repeat within the window...
    clock.advance(6 * MS_PER_DAY);
    const repeat = tamResult(await tamScan(runtime));
    expect(repeat.escalations).toEqual([]);
    expect(repeat.escalations_suppressed).toEqual([
      {
        account_id: "acc_1",
        reason: "escalated at Red on 2026-03-11; repeats after 7 days or on a worse status",
      },
    ]);
    // ...and escalates again once ALERT_REPEAT_DAYS have passed.
    clock.advance(MS_PER_DAY);
    const later = tamResult(await tamScan(runtime));
    expect(later.escalations).toMatchObject([
      { account_id: "acc_1", status: "Red", reasons: ["score 20 is below 40"] },
    ]);

    expect((await escalated()).map((p) => (p as { status: string }).status)).toEqual(["Amber", "Red", "Red"]);
    expect(await drafts(runtime)).toHaveLength(3);
  });

  it("an escalation deferred on Green -> Amber is still raised the next day while the account stays Amber, not lost", async () => {
    const clock = new ManualClock(NOW);
    runtime = await tamRuntime({ clock, env: { TAM_ESCALATIONS_MAX_PER_SCAN: "1" } });
    await loadRecords(
      runtime,
      [
        makeAccount({ id: "acc_big", arr: 90_000, health_status: "Green" }),
        makeAccount({ id: "acc_small", arr: 10_000, health_status: "Green" }),
        makeAccount({ id: "acc_recovers", arr: 5_000, health_status: "Green" }),
      ],
      [...amberTickets("acc_big"), ...amberTickets("acc_small"), ...amberTickets("acc_recovers")],
    );
    const first = tamResult(await tamScan(runtime));
    expect(first.escalations.map((e) => e.account_id)).toEqual(["acc_big"]);
    expect(first.escalations_deferred.map((d) => d.account_id)).toEqual(["acc_small", "acc_recovers"]);

    // acc_recovers' tickets are resolved: back to Green, its deferred escalation is moot.
    await runtime.store.db.deleteFrom("tickets").where("account_id", "=", "acc_recovers").execute();

    clock.advance(MS_PER_DAY);
    const next = tamResult(await tamScan(runtime));
    expect(next.escalations).toMatchObject([
      {
        account_id: "acc_small",
        status: "Amber",
        previous_status: "Amber",
        reasons: ["escalation deferred on 2026-03-11 (status went from Green to Amber) is still due"],
      },
    ]);
    expect(next.health_scores.find((h) => h.account_id === "acc_recovers")).toMatchObject({
      status: "Green",
    });
    expect(next.escalations_deferred).toEqual([]);

    // Raised once: the next scan has nothing left to carry.
    clock.advance(MS_PER_DAY);
    const after = tamResult(await tamScan(runtime));
    expect([after.escalations, after.escalations_deferred]).toEqual([[], []]);
    expect((await drafts(runtime)).map((d) => d.account_id)).toEqual(["acc_big", "acc_small"]);
  });
});
