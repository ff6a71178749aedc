/**
 * 100,000 events through the durable bus (written to the SQLite log, then delivered) to 3 in-process
 * subscribers, against plain EventEmitter delivery of the same events measured in the same run.
 *   npx tsx bench/events.ts [--events N]
 */
import { EventEmitter } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { systemClock } from "../src/clock.js";
import { EventBus } from "../src/events/bus.js";
import { createLogger } from "../src/logger.js";
import { openStore } from "../src/store/db.js";

const { values } = parseArgs({ options: { events: { type: "string", default: "100000" } } });
const N = Number(values.events);
const payload = (i: number) => ({ severity: "info" as const, title: `event ${i}` });

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-events-"));
  const store = await openStore(path.join(dir, "bench.db"));
  const bus = new EventBus(store.db, createLogger("silent"), systemClock);
  const counts = [0, 0, 0];
  for (let s = 0; s < 3; s++) bus.subscribe({}, () => void counts[s]!++);
  await bus.start();

  // Baseline: the same events through a plain EventEmitter with 3 listeners.
  const emitter = new EventEmitter();
  const baseCounts = [0, 0, 0];
  for (let s = 0; s < 3; s++) emitter.on("e", () => void baseCounts[s]!++);
  let t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) emitter.emit("e", { seq: i, type: "alert.raised", payload: payload(i) });
  const baseMs = Number(process.hrtime.bigint() - t0) / 1e6;

  t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await bus.publish("alert.raised", { source: "bench", payload: payload(i) });
  const busMs = Number(process.hrtime.bigint() - t0) / 1e6;

  if (counts.some((c) => c !== N) || baseCounts.some((c) => c !== N)) throw new Error("lost deliveries");
  const busRate = N / (busMs / 1000);
  const baseRate = N / (baseMs / 1000);
  console.log(`events: ${N}, subscribers: 3`);
  console.log(`durable bus:   ${busRate.toFixed(0)} events/s (${busMs.toFixed(0)} ms)`);
  console.log(`EventEmitter:  ${baseRate.toFixed(0)} events/s (${baseMs.toFixed(0)} ms)`);
  console.log(
    `ratio bus/EventEmitter: ${(busRate / baseRate).toFixed(4)} (${(baseRate / busRate).toFixed(0)}x slower: every event is a durable SQLite write)`,
  );
  await bus.stop();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
