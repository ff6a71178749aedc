import type { GenerateRequest, GenerateResult, LlmPort } from "../../../src/adapters/llm/port.js";
import { customerSuccessAgent } from "../../../src/agents/customer-success/index.js";
import { ManualClock } from "../../../src/clock.js";
import { generateDemoBook } from "../../../src/demo/book.js";
import type { RunRecord } from "../../../src/graphs/run-manager.js";
import type { Runtime } from "../../../src/runtime.js";
import { makeRuntime, type TestRuntimeOptions } from "../../helpers/runtime.js";

/** QBR tests run early in Q4 2026: the demo book's 12 weeks of history then cover most of Q3 2026. */
export const NOW = "2026-10-05T10:00:00.000Z";
export const demoBook = generateDemoBook({ now: new Date(NOW) });
export const scenarioOf = (id: string) => demoBook.scenarios[id];
/** An Active, healthy demo account with a CSM owner. */
export const HEALTHY_ID = demoBook.accounts.find(
  (a) => scenarioOf(a.id) === "healthy" && a.status === "Active" && a.csm_owner !== null,
)!.id;

export async function qbrRuntime(opts: TestRuntimeOptions & { clock?: ManualClock } = {}): Promise<Runtime> {
  return makeRuntime({
    agents: [customerSuccessAgent],
    clock: opts.clock ?? new ManualClock(NOW),
    ...opts,
    env: { DEMO_BOOK: "true", ...opts.env },
  });
}

export function generateQbr(runtime: Runtime, task: Record<string, unknown>): Promise<RunRecord> {
  return runtime.runs.dispatchAndWait(
    { agent_id: "customer-success", task: { type: "generate_qbr", ...task } },
    20_000,
  );
}

export const qbrRows = (runtime: Runtime, accountId?: string) => {
  let q = runtime.store.db.selectFrom("qbrs").selectAll().orderBy("created_at");
  if (accountId) q = q.where("account_id", "=", accountId);
  return q.execute();
};

export const draftRows = (runtime: Runtime, kind: string) =>
  runtime.store.db.selectFrom("outbox_drafts").selectAll().where("kind", "=", kind).execute();

/** An answer of the scripted model: an object (its JSON), raw text (maybe malformed), or an error. */
export type ScriptedAnswer = unknown | { raw: string } | Error;

/**
 * An LlmPort test double with the port's retry contract (adapters/llm/port.ts): a schema-valid answer
 * that fails `validate` gets one retry with the problem stated, then the template; an unusable answer
 * (malformed JSON, schema mismatch, error) falls back to the template. Answers are served in order.
 */
export class ScriptedLlm implements LlmPort {
  readonly kind = "openai" as const;
  readonly calls: Array<{ purpose: string; system: string; user: string }> = [];

  constructor(private readonly answers: ScriptedAnswer[]) {}

  private async ask<T>(req: GenerateRequest<T>, user: string): Promise<T> {
    this.calls.push({ purpose: req.purpose, system: req.system, user });
    if (this.answers.length === 0) throw new Error("the scripted model has no answer left");
    const answer = this.answers.shift();
    if (answer instanceof Error) throw answer;
    const parsed =
      typeof answer === "object" && answer !== null && "raw" in answer
        ? JSON.parse((answer as { raw: string }).raw)
        : answer;
    return req.schema.parse(parsed);
  }

  async generate<T>(req: GenerateRequest<T>): Promise<GenerateResult<T>> {
    const template = (reason: string): GenerateResult<T> => ({
      output: req.schema.parse(req.template()),
      generated_by: "template",
      fallback_reason: reason,
    });
    let problem: string | null;
    try {
      const first = await this.ask(req, req.user);
      problem = req.validate?.(first) ?? null;
      if (problem === null) return { output: first, generated_by: "llm" };
    } catch (err) {
      return template(`unusable answer: ${(err as Error).message}`);
    }
    try {
      const second = await this.ask(req, `${req.user}\n\nYour previous answer was rejected: ${problem}`);
      const again = req.validate?.(second) ?? null;
      if (again === null) return { output: second, generated_by: "llm" };
      return template(`answer rejected twice: ${again}`);
    } catch (err) {
      return template(`unusable answer on retry: ${(err as Error).message}`);
    }
  }

  async ping() {
    return { ok: true, detail: "scripted" };
  }
}
