import { LocalAlerts } from "./adapters/chat/local.js";
import type { ChatPort } from "./adapters/chat/port.js";
import type { LlmPort } from "./adapters/llm/port.js";
import { TemplateNarrator } from "./adapters/llm/template.js";
import { LocalOutbox } from "./adapters/mail/local.js";
import type { MailPort } from "./adapters/mail/port.js";
import { realAdapters } from "./adapters/real.js";
import { LocalRecords } from "./adapters/records/local.js";
import type { RecordsPort } from "./adapters/records/port.js";
import type { AgentDeps } from "./agents/deps.js";
import { AGENTS } from "./agents/index.js";
import { ApiKeyRing, type ResolvedKeys, resolveApiKeys } from "./api/keys.js";
import { type Clock, systemClock } from "./clock.js";
import type { Config } from "./config.js";
import { seedDemoTaskHistory } from "./demo/queue-seed.js";
import { seedDemoBook } from "./demo/seed.js";
import { EventBus } from "./events/bus.js";
import type { AgentDefinition } from "./graphs/agent.js";
import { createCheckpointer } from "./graphs/checkpointer.js";
import { RunManager } from "./graphs/run-manager.js";
import { createLogger, type Logger } from "./logger.js";
import { Playbooks } from "./playbooks/service.js";
import { TaskQueue } from "./queue/service.js";
import { openStore } from "./store/db.js";
import { SideEffects } from "./store/side-effects.js";

export interface Runtime extends AgentDeps {
  agents: Map<string, AgentDefinition<AgentDeps>>;
  /** The CSM task queue (issue 7): tasks, call playbooks, outcomes. */
  queue: TaskQueue;
  /** Executable playbooks (issue 8): templates, library, executions, approvals, triggers. */
  readonly playbooks: Playbooks;
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
  // Each real adapter is chosen when its credentials are configured (issue 4); the embedded default otherwise.
  const real = realAdapters(config, { db: store.db, effects, clock, log }, opts.adapters ?? {});
  const records: RecordsPort = opts.adapters?.records ?? real.records ?? localRecords;
  const mail: MailPort = opts.adapters?.mail ?? real.mail ?? new LocalOutbox(store.db, clock);
  const chat: ChatPort = opts.adapters?.chat ?? real.chat ?? new LocalAlerts(store.db, clock);
  const llm: LlmPort = opts.adapters?.llm ?? real.llm ?? new TemplateNarrator();
  const queue = new TaskQueue({
    db: store.db,
    bus,
    records,
    clock,
    config,
    log: log.child({ component: "queue" }),
  });

  const keys = resolveApiKeys(config);
  const agentList = opts.agents ?? AGENTS;
  let started = false;
  let closed = false;
  // Built from the runtime itself (it uses the agents, the queue, the ports), right after the literal.
  let playbooks!: Playbooks;

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
    queue,
    get playbooks() {
      return playbooks;
    },
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
      queue.subscribe();
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
      playbooks.engine.abortAll();
      await bus.stop();
      await new Promise((r) => setTimeout(r, 50));
      checkpointer.close();
      await store.close();
    },
  };

  // First to start, last to stop: Notion's data sources resolve before anything reads records, and its
  // outbox keeps replaying until the rest has shut down.
  runtime.onStart.push(() => real.start());
  runtime.onClose.push(() => real.close());
  for (const agent of runtime.agents.values())
    runs.register(agent.id, agent.buildGraph(runtime, checkpointer.saver));
  // After the demo book is loaded: sync the task catalogue, then give a fresh demo book its task history.
  runtime.onStart.push(async () => {
    await queue.onStart();
    if (config.DEMO_BOOK) {
      const seeded = await seedDemoTaskHistory(queue, { records, config, clock });
      if (seeded) log.info(seeded, "demo task history loaded");
    }
  });
  // Playbooks start after the queue (task steps need its catalogue) and stop before the runs drain.
  playbooks = new Playbooks(runtime);
  runtime.onStart.push(() => playbooks.start());
  runtime.onClose.push(() => playbooks.close(2_000));
  return runtime;
}
