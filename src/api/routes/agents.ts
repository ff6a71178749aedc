import { z } from "zod";
import { badRequest, notFound } from "../../errors.js";
import type { TaskInput } from "../../graphs/agent-graph.js";
import { requireScope } from "../auth.js";
import { requestHash, withIdempotency } from "../idempotency.js";
import type { AgentInfo, AppDeps, RouteModule } from "../route.js";
import { runView } from "../run-view.js";

/** Validate a task against the agent's discriminated union; errors name the field or list the types. */
export function parseTask(agents: ReadonlyMap<string, AgentInfo>, agentId: string, body: unknown): TaskInput {
  const agent = agents.get(agentId);
  if (!agent) throw notFound(`agent ${agentId}`);
  const supported = agent.tasks.map((t) => t.type);
  const type = (body as { type?: unknown } | null)?.type;
  if (typeof type !== "string" || !supported.includes(type)) {
    throw badRequest(
      typeof type === "string"
        ? `unknown task type "${type}" for agent ${agentId}; supported: ${supported.join(", ")}`
        : `body.type is required; supported: ${supported.join(", ")}`,
      { supported_types: supported },
    );
  }
  const parsed = agent.taskSchema.safeParse(body);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({
      path: ["body", ...i.path.map(String)].join("."),
      message: i.message,
      ...("keys" in i ? { keys: i.keys } : {}),
    }));
    throw badRequest(`${details[0]!.path}: ${details[0]!.message}`, details);
  }
  return parsed.data;
}

export const agentRoutes: RouteModule<Pick<AppDeps, "agents" | "runs" | "idempotency">> = (app, deps) => {
  app.get(
    "/v1/agents",
    {
      preHandler: requireScope("read"),
      schema: { tags: ["agents"], summary: "The agents and the task types each accepts" },
    },
    async () => ({
      agents: [...deps.agents.values()].map((a) => ({
        agent_id: a.id,
        name: a.name,
        description: a.description,
        task_types: a.tasks,
        tasks_url: `/v1/agents/${a.id}/tasks`,
      })),
    }),
  );

  app.post(
    "/v1/agents/:agent_id/tasks",
    {
      preHandler: requireScope("agents:dispatch"),
      schema: {
        tags: ["agents"],
        summary: "Dispatch a task: 202 with run_id, or ?wait=true for the finished run",
        params: z.object({ agent_id: z.string() }),
        querystring: z.strictObject({
          wait: z.enum(["true", "false"]).optional(),
          timeout_ms: z.coerce.number().int().min(100).max(600_000).optional(),
        }),
        headers: z.object({ "idempotency-key": z.string().min(1).optional() }),
        body: z.looseObject({ type: z.string().describe("task type, see GET /v1/agents") }),
      },
    },
    async (req, reply) => {
      const { agent_id } = req.params;
      if (!deps.agents.has(agent_id)) throw notFound(`agent ${agent_id}`);
      const task = parseTask(deps.agents, agent_id, req.body);
      const wait = req.query.wait === "true";
      const caller = req.apiKey!.name;
      const res = await withIdempotency(
        deps.idempotency,
        caller,
        req.headers["idempotency-key"] as string | undefined,
        requestHash({ agent_id, body: req.body, wait }),
        async () => {
          const run = await deps.runs.dispatch({ agent_id, task, caller });
          if (!wait) return { statusCode: 202, body: runView(run) };
          try {
            const done = await deps.runs.waitFor(run.run_id, req.query.timeout_ms ?? 120_000);
            return { statusCode: 200, body: runView(done) };
          } catch {
            return { statusCode: 202, body: runView((await deps.runs.get(run.run_id))!) };
          }
        },
      );
      if (res.replayed) reply.header("idempotent-replayed", "true");
      return reply.status(res.statusCode).send(res.body);
    },
  );
};
