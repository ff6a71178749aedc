/**
 * Validation of a task inside a handler. Tasks from the API are validated before any run starts; tasks
 * that arrive over the bus (hand-offs) are not, so a handler that can receive one re-checks its input
 * and rejects it (failing the run, nothing written) with a message that names the field.
 */
import { z } from "zod";
import { TaskRejected } from "../../graphs/agent-graph.js";

/** An account id as tasks name it (records ids of both stores fit). */
export const accountIdField = z.string().min(1).max(200);

/** "evidence: expected record, received undefined" — the first problem, with its field path. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid input";
  const path = issue.path.map(String).join(".");
  return path ? `${path}: ${issue.message}` : issue.message;
}

export function parseTaskOrReject<T>(schema: z.ZodType<T>, task: unknown, what = "task"): T {
  const parsed = schema.safeParse(task);
  if (parsed.success) return parsed.data;
  throw new TaskRejected(`invalid ${what}: ${describeZodError(parsed.error)}`);
}
