import type { z } from "zod";
import type { HandlerDef, TaskInput } from "../../../graphs/agent-graph.js";
import type { AgentDeps } from "../../deps.js";

/**
 * One task type of the Customer Success agent: its input schema (a z.strictObject with a literal
 * `type`), what it does, and its handler (one node or named steps). Adding a task type is one file
 * exporting one of these plus one entry in handlers/index.ts.
 */
export interface CsTaskHandler<S extends z.ZodObject = z.ZodObject> {
  schema: S;
  description: string;
  // The graph kit types nodes by the generic TaskInput; each handler narrows it to its own schema.
  build(deps: AgentDeps): HandlerDef<z.infer<S> & TaskInput>;
}
