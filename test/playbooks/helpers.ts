import { z } from "zod";
import type { AgentDeps } from "../../src/agents/deps.js";
import { ManualClock } from "../../src/clock.js";
import type { Account } from "../../src/domain/types.js";
import type { AgentDefinition } from "../../src/graphs/agent.js";
import { buildAgentGraph, type NodeFn } from "../../src/graphs/agent-graph.js";
import type { DefinitionInput } from "../../src/playbooks/schema/definition.js";
import type { Runtime } from "../../src/runtime.js";
import { makeRuntime, type TestRuntimeOptions } from "../helpers/runtime.js";

/** Test-only agents and helpers for the playbook engine; src ships no fake agent. */

export const START = "2026-03-02T09:00:00.000Z"; // a Monday
export const DAY = 86_400_000;

/** How often each (account, label) was handled by the notes agent: proves a step ran once. */
export const noteCalls = new Map<string, number>();
/** The notes agent fails this many times per label before succeeding. */
export const failPlan = new Map<string, number>();
/** The notes agent holds a note with this label until the promise settles (a step in flight). */
export const noteGates = new Map<string, Promise<void>>();

const noteNode: NodeFn = async (ctx) => {
  const t = ctx.task as unknown as { account_id: string; label: string; text?: string };
  const key = `${t.account_id}:${t.label}`;
  noteCalls.set(key, (noteCalls.get(key) ?? 0) + 1);
  const gate = noteGates.get(t.label);
  if (gate) await gate;
  const left = failPlan.get(t.label) ?? 0;
  if (left > 0) {
    failPlan.set(t.label, left - 1);
    throw new Error(`note ${t.label} failed on purpose`);
  }
  return { result: { noted: t.label, text: t.text ?? null } };
};

/** An agent with one task, `note {account_id, label, text?}`, that can be told to fail. */
export const notesAgent: AgentDefinition<AgentDeps> = {
  id: "test-notes",
  name: "Notes",
  description: "test only",
  tasks: [{ type: "note", description: "records a note" }],
  taskSchema: z.discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("note"),
      account_id: z.string(),
      label: z.string().min(1),
      text: z.string().optional(),
    }),
  ]),
  buildGraph(_deps, checkpointer) {
    return buildAgentGraph({ agentId: "test-notes", checkpointer, handlers: { note: noteNode } });
  },
};

/**
 * Stand-ins for the three real agents with the task types and fields the real ones take, so the library's agent steps can be published and run in tests.
 */
function standIn(id: string, tasks: Record<string, z.ZodRawShape>): AgentDefinition<AgentDeps> {
  const types = Object.keys(tasks);
  const schemas = types.map((type) => z.strictObject({ type: z.literal(type), ...tasks[type] }));
  return {
    id,
    name: id,
    description: "test stand-in",
    tasks: types.map((type) => ({ type, description: type })),
    taskSchema: (schemas.length === 1
      ? schemas[0]!
      : z.union(schemas as unknown as [z.ZodTypeAny, z.ZodTypeAny])) as never,
    buildGraph(_deps, checkpointer) {
      return buildAgentGraph({
        agentId: id,
        checkpointer,
        handlers: Object.fromEntries(
          types.map((type) => [
            type,
            (async (ctx) => ({
              result: { handled_by: id, account_id: ctx.task.account_id ?? null },
            })) as NodeFn,
          ]),
        ),
      });
    },
  };
}

export const STAND_IN_AGENTS = [
  standIn("customer-success", {
    health_scan: { account_id: z.string().optional() },
    assess_churn_risk: { account_id: z.string() },
    generate_qbr: {
      account_id: z.string(),
      period: z.string().optional(),
      trigger: z.enum(["quarterly", "contract_proximity", "manual"]).optional(),
      force_new: z.boolean().optional(),
    },
    check_expansion: { account_id: z.string().optional() },
    track_feature_adoption: { account_id: z.string() },
  }),
  standIn("sales", {
    dispatch_tam_health_check: { account_id: z.string(), reason: z.string().min(1) },
  }),
  standIn("tam", {
    health_scan: { account_id: z.string().optional() },
    escalation_outreach: { account_id: z.string() },
  }),
];

export type PlaybookRuntimeOptions = TestRuntimeOptions & { accounts?: number };

/**
 * A runtime for playbook tests: the notes agent and the stand-ins registered, a demo book of
 * `accounts` accounts, a manual clock, and retries without delay.
 */
export function playbookRuntimeOptions(
  opts: PlaybookRuntimeOptions & { clock: ManualClock },
): TestRuntimeOptions & { clock: ManualClock } {
  const { accounts, ...rest } = opts;
  return {
    agents: [notesAgent, ...STAND_IN_AGENTS],
    ...rest,
    env: {
      DEMO_BOOK: "true",
      DEMO_BOOK_ACCOUNTS: String(accounts ?? 12),
      PLAYBOOK_RETRY_DELAY_MS: "1",
      ...opts.env,
    },
  };
}

/** A playbook runtime of its own (tests that restart it; the others use the fixture). */
export async function playbookRuntime(
  opts: PlaybookRuntimeOptions & { clock?: ManualClock } = {},
): Promise<{ runtime: Runtime; clock: ManualClock }> {
  const clock = opts.clock ?? new ManualClock(START);
  const runtime = await makeRuntime(playbookRuntimeOptions({ ...opts, clock }));
  return { runtime, clock };
}

/** Change an account in the local store (tests only: the records port writes agent fields only). */
export async function patchAccount(runtime: Runtime, id: string, patch: Partial<Account>): Promise<Account> {
  const row = await runtime.store.db
    .selectFrom("accounts")
    .select("data")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  const next = { ...(JSON.parse(row.data) as Account), ...patch };
  await runtime.store.db
    .updateTable("accounts")
    .set({ data: JSON.stringify(next), status: next.status, renewal_date: next.renewal_date })
    .where("id", "=", id)
    .execute();
  return next;
}

/** An account of the demo book in a given status with a CSM owner. */
export async function someAccount(
  runtime: Runtime,
  status: Account["status"] = "Active",
  skip = 0,
): Promise<Account> {
  const rows = await runtime.store.db
    .selectFrom("accounts")
    .select("data")
    .where("status", "=", status)
    .orderBy("id")
    .execute();
  const accounts = rows.map((r) => JSON.parse(r.data) as Account).filter((a) => a.csm_owner);
  const a = accounts[skip];
  if (!a) throw new Error(`no ${status} account #${skip} in the demo book`);
  return a;
}

export async function publish(runtime: Runtime, def: DefinitionInput) {
  return runtime.playbooks.create(def, "test", { publish: true });
}

/** Start, then wait until the execution has stopped moving. */
export async function run(runtime: Runtime, playbookId: string, accountId: string, contact?: string) {
  const { execution } = await runtime.playbooks.engine.startExecution({
    playbook_id: playbookId,
    account_id: accountId,
    trigger: { type: "manual" },
    ...(contact ? { contact_email: contact } : {}),
  });
  await runtime.playbooks.engine.idle();
  return execution.execution_id;
}

export async function settle(runtime: Runtime) {
  await runtime.playbooks.engine.idle();
  await runtime.bus.idle();
  await runtime.playbooks.engine.idle();
}

export const stepStatuses = async (runtime: Runtime, id: string) =>
  Object.fromEntries((await runtime.playbooks.execution(id)).steps.map((s) => [s.step_id, s.status]));

export async function pendingApproval(runtime: Runtime, executionId: string) {
  const [a] = await runtime.playbooks.engine.approvals.list({
    execution_id: executionId,
    status: "pending",
  });
  if (!a) throw new Error(`no pending approval for ${executionId}`);
  return a;
}

export async function draftsOf(runtime: Runtime, executionId: string) {
  return runtime.store.db.selectFrom("outbox_drafts").selectAll().where("run_id", "=", executionId).execute();
}

export async function tasksOf(runtime: Runtime, executionId: string) {
  const rows = await runtime.store.db
    .selectFrom("csm_tasks")
    .select(["id", "metadata", "task_type", "status"])
    .execute();
  return rows.filter(
    (r) => (JSON.parse(r.metadata) as { execution_id?: string }).execution_id === executionId,
  );
}
