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
import { ApiKeyRing, type ResolvedKeys, resolveApiKeys, resolveSessionSecret } from "./api/keys.js";
import { SessionCodec } from "./api/session.js";
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
import { AccountReads } from "./store/accounts.js";
import { ApiIdempotency } from "./store/api-idempotency.js";
import { openStore } from "./store/db.js";
import { OutboxReads } from "./store/outbox.js";
import { SchedulerJobs } from "./store/scheduler-jobs.js";
import { SideEffects } from "./store/side-effects.js";

export interface Runtime extends AgentDeps {
  agents: Map<string, AgentDefinition<AgentDeps>>;
  /** The CSM task queue: tasks, call playbooks, outcomes. */
  queue: TaskQueue;
  /** Executable playbooks: templates, library, executions, approvals, triggers. */
  readonly playbooks: Playbooks;
  keys: ResolvedKeys;
  keyRing: ApiKeyRing;
  sessions: SessionCodec;
  /** The API's Idempotency-Keys. */
  idempotency: ApiIdempotency;
  /** Account pages and health history, as the API lists them. */
  accountReads: AccountReads;
  /** The drafts and alerts written for people, as the API lists them. */
  outbox: OutboxReads;
  /** Each scheduled job's last instant, so an instant runs once and a missed one is made up. */
  schedulerJobs: SchedulerJobs;
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

/**
 * Composition root: config -> store -> event bus -> adapters -> agents, queue, playbooks. The scheduler and
 * the HTTP app are built over the runtime by whoever boots it (main, the CLI, tests).
 */
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
  // Each real adapter is chosen when its credentials are configured; the embedded default otherwise.
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
    sessions: new SessionCodec(resolveSessionSecret(config), config.SESSION_TTL_HOURS * 3_600_000),
    idempotency: new ApiIdempotency(store.db, clock),
    accountReads: new AccountReads(store.db),
    outbox: new OutboxReads(store.db),
    schedulerJobs: new SchedulerJobs(store.db),
    queue,
    get playbooks() {
      return playbooks;
    },
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
      // Notion's data sources resolve before the queue and the playbooks read records.
      await real.start();
      // After the demo book is loaded: sync the task catalogue, then give a fresh demo book its task history.
      await queue.onStart();
      if (config.DEMO_BOOK) {
        const seededTasks = await seedDemoTaskHistory(queue, { records, config, clock });
        if (seededTasks) log.info(seededTasks, "demo task history loaded");
      }
      // Task steps of playbooks need the queue's catalogue.
      await playbooks.start();
      started = true;
    },
    async close({ graceMs = 10_000 } = {}) {
      if (closed) return;
      closed = true;
      // Playbooks stop first, then the real adapters (Notion's outbox replays until then), then the
      // runs drain and the bus and store close.
      await playbooks.close(2_000);
      await real.close();
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

  for (const agent of runtime.agents.values())
    runs.register(agent.id, agent.buildGraph(runtime, checkpointer.saver));
  playbooks = new Playbooks(runtime);
  return runtime;
}
