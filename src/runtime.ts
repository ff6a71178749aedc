import { LocalAlerts } from "./adapters/chat/local.js";
import type { ChatPort } from "./adapters/chat/port.js";
import type { LlmPort } from "./adapters/llm/port.js";
import { TemplateNarrator } from "./adapters/llm/template.js";
import { LocalOutbox } from "./adapters/mail/local.js";
import type { MailPort } from "./adapters/mail/port.js";
import { LocalRecords } from "./adapters/records/local.js";
import type { RecordsPort } from "./adapters/records/port.js";
import type { AgentDeps } from "./agents/deps.js";
import { AGENTS } from "./agents/index.js";
import { ApiKeyRing, type ResolvedKeys, resolveApiKeys } from "./api/keys.js";
import { type Clock, systemClock } from "./clock.js";
import type { Config } from "./config.js";
import { seedDemoBook } from "./demo/seed.js";
import { EventBus } from "./events/bus.js";
import type { AgentDefinition } from "./graphs/agent.js";
import { createCheckpointer } from "./graphs/checkpointer.js";
import { RunManager } from "./graphs/run-manager.js";
import { createLogger, type Logger } from "./logger.js";
import { openStore } from "./store/db.js";
import { SideEffects } from "./store/side-effects.js";

export interface Runtime extends AgentDeps {
  agents: Map<string, AgentDefinition<AgentDeps>>;
  keys: ResolvedKeys;
  keyRing: ApiKeyRing;
  /** Hooks that later parts (scheduler, queue, playbooks) add to start and stop with the runtime. */
  onStart: Array<() => Promise<void> | void>;
  onClose: Array<() => Promise<void> | void>;
  start(): Promise<void>;
  /** Graceful: stop accepting runs, let in-flight ones reach a checkpoint, close everything. */
  close(opts?: { graceMs?: number }): Promise<void>;
  /** Simulated crash for tests: abort runs mid-node, close handles, no drain. */
  crash(): Promise<void>;
  readonly started: boolean;
}

export interface RuntimeOptions {
  clock?: Clock;
  log?: Logger;
  /** Replace the registry (tests register test-only agents here). */
  agents?: AgentDefinition<AgentDeps>[];
  /** Override adapters (tests: a chat port that throws, an emulator-backed one, ...). */
  adapters?: Partial<Pick<AgentDeps, "records" | "mail" | "chat" | "llm">>;
  /** Bus retry delays (tests use short ones). */
  busRetryDelaysMs?: number[];
}

/** Composition root: config -> adapters -> store -> event bus -> agents (-> scheduler -> api). */
export async function buildRuntime(config: Config, opts: RuntimeOptions = {}): Promise<Runtime> {
  const clock = opts.clock ?? systemClock;
  const log = opts.log ?? createLogger(config.LOG_LEVEL);
  const store = await openStore(config.dbPath);
  const effects = new SideEffects(store.db, clock);
  const bus = new EventBus(store.db, log.child({ component: "bus" }), clock, {
    ...(opts.busRetryDelaysMs ? { retryDelaysMs: opts.busRetryDelaysMs } : {}),
  });
  const checkpointer = createCheckpointer(config.dataDir);
  const runs = new RunManager(
    store.db,
    bus,
    log.child({ component: "runs" }),
    clock,
    checkpointer.saver,
    config.RUN_CONCURRENCY,
  );

  const localRecords = new LocalRecords(store.db, effects, clock);
  const records: RecordsPort = opts.adapters?.records ?? localRecords;
  const mail: MailPort = opts.adapters?.mail ?? new LocalOutbox(store.db, clock);
  const chat: ChatPort = opts.adapters?.chat ?? new LocalAlerts(store.db, clock);
  const llm: LlmPort = opts.adapters?.llm ?? new TemplateNarrator();

  const keys = resolveApiKeys(config);
  const agentList = opts.agents ?? AGENTS;
  let started = false;
  let closed = false;

  const runtime: Runtime = {
    config,
    log,
    clock,
    store,
    effects,
    bus,
    runs,
    records,
    mail,
    chat,
    llm,
    agents: new Map(agentList.map((a) => [a.id, a])),
    keys,
    keyRing: new ApiKeyRing(keys.keys),
    onStart: [],
    onClose: [],
    get started() {
      return started;
    },
    async start() {
      if (started) return;
      if (records === localRecords && config.DEMO_BOOK) {
        const seeded = await seedDemoBook(store.db, localRecords, clock, {
          accounts: config.DEMO_BOOK_ACCOUNTS,
        });
        if (seeded) log.info({ accounts: seeded.accounts }, "demo book loaded");
      }
      for (const agent of runtime.agents.values()) agent.subscribe?.(runtime);
      await bus.start();
      await runs.resumeUnfinished();
      for (const hook of runtime.onStart) await hook();
      started = true;
    },
    async close({ graceMs = 10_000 } = {}) {
      if (closed) return;
      closed = true;
      for (const hook of [...runtime.onClose].reverse()) await hook();
      await runs.drain(graceMs);
      await bus.stop();
      checkpointer.close();
      await store.close();
    },
    async crash() {
      if (closed) return;
      closed = true;
      runs.abortAll();
      await bus.stop();
      await new Promise((r) => setTimeout(r, 50));
      checkpointer.close();
      await store.close();
    },
  };

  for (const agent of runtime.agents.values())
    runs.register(agent.id, agent.buildGraph(runtime, checkpointer.saver));
  return runtime;
}
