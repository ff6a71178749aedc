/**
 * The contract between the HTTP app and its route modules. A route module is a function that adds its
 * routes to the app; it names the services it uses as its `Deps` (a Pick of AppDeps), and buildApp hands
 * every module the same AppDeps object (the runtime satisfies it). Modules read their deps when a request
 * comes, not when they register, so they always see the service the runtime holds at that moment.
 */
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import type { ChatPort } from "../adapters/chat/port.js";
import type { MailPort } from "../adapters/mail/port.js";
import type { RecordsPort } from "../adapters/records/port.js";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { EventBus } from "../events/bus.js";
import type { AgentDefinition } from "../graphs/agent.js";
import type { RunManager } from "../graphs/run-manager.js";
import type { Logger } from "../logger.js";
import type { Playbooks } from "../playbooks/service.js";
import type { TaskQueue } from "../queue/service.js";
import type { AccountReads } from "../store/accounts.js";
import type { ApiIdempotency } from "../store/api-idempotency.js";
import type { StoreHandle } from "../store/db.js";
import type { OutboxReads } from "../store/outbox.js";
import type { ApiKeyRing } from "./keys.js";
import type { SessionCodec } from "./session.js";

export type TypedApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What the API shows of an agent: its identity and the task types it accepts. */
export type AgentInfo = Pick<
  AgentDefinition<unknown>,
  "id" | "name" | "description" | "tasks" | "taskSchema"
>;

/** Every service a route module may ask for. */
export interface AppDeps {
  config: Config;
  log: Logger;
  clock: Clock;
  /** The API keys requests are authenticated against. */
  keyRing: ApiKeyRing;
  /** Signs and checks the console's session cookies. */
  sessions: SessionCodec;
  /** True once the runtime has started (readiness). */
  readonly started: boolean;
  store: Pick<StoreHandle, "ping">;
  bus: EventBus;
  runs: RunManager;
  records: RecordsPort;
  mail: Pick<MailPort, "kind">;
  chat: Pick<ChatPort, "kind">;
  agents: ReadonlyMap<string, AgentInfo>;
  idempotency: ApiIdempotency;
  accountReads: AccountReads;
  outbox: OutboxReads;
  queue: TaskQueue;
  playbooks: Playbooks;
}

/** Adds a module's routes to the app. `D` is what the module uses; by default, all of AppDeps. */
export type RouteModule<D = AppDeps> = (app: TypedApp, deps: D) => void | Promise<void>;
