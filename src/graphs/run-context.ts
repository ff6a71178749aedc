import { AsyncLocalStorage } from "node:async_hooks";
import type { LlmUsage } from "../adapters/llm/port.js";

/** What an adapter may learn about the run it works for (token usage lands on the run record). */
export interface RunContext {
  run_id: string;
  usage: LlmUsage & { calls: number };
}

export const runContext = new AsyncLocalStorage<RunContext>();

export function recordLlmUsage(usage: LlmUsage): void {
  const ctx = runContext.getStore();
  if (!ctx) return;
  ctx.usage.input_tokens += usage.input_tokens;
  ctx.usage.output_tokens += usage.output_tokens;
  ctx.usage.calls += 1;
}
