/** Runtimes, books and result shapes for the TAM agent's tests. */
import { tamAgent } from "../../../src/agents/tam/index.js";
import { ManualClock } from "../../../src/clock.js";
import type { Ticket } from "../../../src/domain/types.js";
import type { TaskInput } from "../../../src/graphs/agent-graph.js";
import type { RunRecord } from "../../../src/graphs/run-manager.js";
import type { Runtime } from "../../../src/runtime.js";
import { makeRuntime, type TestRuntimeOptions } from "../../helpers/runtime.js";
import { makeTicket, NOW } from "../expansion/fixtures.js";

export { NOW };

/** A runtime with the TAM agent only (no Customer Success re-scoring its escalations), clock at NOW. */
export async function tamRuntime(opts: TestRuntimeOptions & { clock?: ManualClock } = {}): Promise<Runtime> {
  return makeRuntime({ agents: [tamAgent], clock: opts.clock ?? new ManualClock(NOW), ...opts });
}

/** Four open P1s five days old: 100 - 4 x 20 = 20, Red. */
export const redTickets = (accountId: string): Ticket[] =>
  Array.from({ length: 4 }, () => makeTicket(accountId, "P1", 120));

/** Two open P1/P2 tickets five days old: 60, Amber. */
export const amberTickets = (accountId: string): Ticket[] => [
  makeTicket(accountId, "P1", 120),
  makeTicket(accountId, "P2", 120),
];

export async function tamScan(
  runtime: Runtime,
  task: TaskInput = { type: "health_scan" },
  timeoutMs = 20_000,
): Promise<RunRecord> {
  return runtime.runs.dispatchAndWait({ agent_id: "tam", task }, timeoutMs);
}

export interface TamEscalationView {
  account_id: string;
  account_name: string;
  score: number;
  status: string;
  previous_status: string | null;
  reasons: string[];
  failed_channels?: string[];
  generated_by?: string | null;
  error?: string;
  /** Finishing an earlier escalation whose channels failed. */
  retry?: boolean;
}

export interface TamScanResult {
  scanned: number;
  scored: number;
  skipped: Array<{ account_id: string; reason: string }>;
  records_written: number;
  records_failed: number;
  escalations_raised: number;
  escalations: TamEscalationView[];
  escalations_deferred: Array<{ account_id: string; score: number; status: string; reason: string }>;
  escalations_suppressed: Array<{ account_id: string; reason: string }>;
  health_scores: Array<{
    account_id: string;
    score: number;
    status: string;
    previous_status: string | null;
    open_tickets: number;
    aged_p1_p2: number;
  }>;
  confidence: string;
}

export const tamResult = (run: RunRecord): TamScanResult => run.result as unknown as TamScanResult;

export const alertRows = (runtime: Runtime) =>
  runtime.store.db.selectFrom("alerts").selectAll().orderBy("created_at").execute();
