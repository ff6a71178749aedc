import type { ChatPort } from "../adapters/chat/port.js";
import type { LlmPort } from "../adapters/llm/port.js";
import type { MailPort } from "../adapters/mail/port.js";
import type { RecordsPort } from "../adapters/records/port.js";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { EventBus } from "../events/bus.js";
import type { RunManager } from "../graphs/run-manager.js";
import type { Logger } from "../logger.js";
import type { StoreHandle } from "../store/db.js";
import type { SideEffects } from "../store/side-effects.js";

/** The services an agent's graph and subscriptions receive (by closure, from the composition root). */
export interface AgentDeps {
  config: Config;
  log: Logger;
  clock: Clock;
  store: StoreHandle;
  effects: SideEffects;
  bus: EventBus;
  runs: RunManager;
  records: RecordsPort;
  mail: MailPort;
  chat: ChatPort;
  llm: LlmPort;
}
