import type { AlertInput, AlertResult, ChatPort } from "../../../src/adapters/chat/port.js";
import type { DraftInput, DraftResult, MailPort } from "../../../src/adapters/mail/port.js";
import { customerSuccessAgent } from "../../../src/agents/customer-success/index.js";
import { ManualClock } from "../../../src/clock.js";
import { generateDemoBook } from "../../../src/demo/book.js";
import type { TaskInput } from "../../../src/graphs/agent-graph.js";
import type { RunRecord } from "../../../src/graphs/run-manager.js";
import type { Runtime } from "../../../src/runtime.js";
import { makeRuntime, type TestRuntimeOptions } from "../../helpers/runtime.js";

/** Every CS test judges the demo book at one instant, so scenarios and scores are reproducible. */
export const NOW = "2026-03-11T14:23:00.000Z";
export const demoBook = generateDemoBook({ now: new Date(NOW) });
export const scenarioOf = (id: string) => demoBook.scenarios[id];

export async function csRuntime(opts: TestRuntimeOptions & { clock?: ManualClock } = {}): Promise<Runtime> {
  return makeRuntime({
    agents: [customerSuccessAgent],
    clock: opts.clock ?? new ManualClock(NOW),
    ...opts,
    env: { DEMO_BOOK: "true", ...opts.env },
  });
}

export async function scan(runtime: Runtime, task: TaskInput = { type: "health_scan" }): Promise<RunRecord> {
  return runtime.runs.dispatchAndWait({ agent_id: "customer-success", task }, 20_000);
}

export interface RaisedAlert {
  account_id: string;
  churn_risk: string;
  channels: Record<string, string>;
  failed_channels: string[];
  errors?: Record<string, string>;
  draft_id: string | null;
  /** Finishing an earlier alert whose channels failed. */
  retry?: boolean;
}

export const resultOf = (run: RunRecord) =>
  run.result as {
    task_type: string;
    scanned: number;
    scored: number;
    skipped: Array<{ account_id: string; reason: string }>;
    alerts_raised: RaisedAlert[];
    alerts_deferred: Array<{ account_id: string; reason: string }>;
    health_scores: Array<{
      account_id: string;
      score: number;
      rag: string;
      churn_risk: string;
      trend: string;
    }>;
    confidence: string;
  };

export const throwingChat: ChatPort = {
  kind: "local",
  async postAlert(_input: AlertInput): Promise<AlertResult> {
    throw new Error("slack is down");
  },
  async ping() {
    return { ok: false, detail: "down" };
  },
};

/** A promise that never resolves, and a release that makes it fail ("released"): a call that hangs. */
function hangUntilReleased(): { gate: Promise<never>; release: () => void } {
  let release: (err: Error) => void = () => {};
  const gate = new Promise<never>((_r, reject) => {
    release = reject;
  });
  gate.catch(() => undefined);
  return { gate, release: () => release(new Error("released")) };
}

/** A mail port whose drafts hang until released (then fail): a run can be killed mid-alert. */
export function blockingMail() {
  const calls: DraftInput[] = [];
  const { gate, release } = hangUntilReleased();
  const port: MailPort = {
    kind: "local",
    async createDraft(input: DraftInput): Promise<DraftResult> {
      calls.push(input);
      return gate;
    },
    async ping() {
      return { ok: true, detail: "blocking" };
    },
  };
  return { port, calls, release };
}

/**
 * A Gmail-like mail port with no deduplication of its own (so duplicates would show): the first
 * `passFirst` drafts are created, later ones hang until released (then fail), until `open()` lets every
 * call through. `created` lists the drafts that were really made.
 */
export function gatedMail(passFirst: number) {
  const calls: DraftInput[] = [];
  const created: Array<DraftInput & { draft_id: string }> = [];
  let open = false;
  const { gate, release } = hangUntilReleased();
  const port: MailPort = {
    kind: "local",
    async createDraft(input: DraftInput): Promise<DraftResult> {
      calls.push(input);
      if (!open && calls.length > passFirst) return gate;
      const draft_id = `draft_${created.length + 1}`;
      created.push({ ...input, draft_id });
      return { draft_id, provider: "local", created: true };
    },
    async ping() {
      return { ok: true, detail: "gated" };
    },
  };
  return {
    port,
    calls,
    created,
    release,
    open: () => {
      open = true;
    },
  };
}

/** A chat port whose first `passFirst` alerts are posted and the later ones hang until released. */
export function gatedChat(passFirst: number) {
  const calls: AlertInput[] = [];
  const { gate, release } = hangUntilReleased();
  const port: ChatPort = {
    kind: "local",
    async postAlert(input: AlertInput): Promise<AlertResult> {
      calls.push(input);
      if (calls.length > passFirst) return gate;
      return { alert_id: `alert_${calls.length}`, provider: "local", ok: true, created: true };
    },
    async ping() {
      return { ok: true, detail: "gated" };
    },
  };
  return { port, calls, release };
}

export async function historyRows(runtime: Runtime, runId: string) {
  return runtime.store.db.selectFrom("health_history").selectAll().where("run_id", "=", runId).execute();
}
