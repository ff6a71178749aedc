/**
 * The task types the Customer Success agent accepts: a zod discriminated union built from the handler
 * table, checked before any run starts (an unknown type is a 400 listing these).
 */
import { z } from "zod";
import type { TaskTypeInfo } from "../../graphs/agent.js";
import type { TaskInput } from "../../graphs/agent-graph.js";
import { CS_HANDLERS } from "./handlers/index.js";

for (const [type, handler] of Object.entries(CS_HANDLERS)) {
  const literal = handler.schema.shape.type;
  // A table key that disagrees with its schema's literal would route tasks to the wrong handler.
  if (!(literal instanceof z.ZodLiteral) || literal.value !== type) {
    throw new Error(`customer-success handler "${type}" must have a schema with type: z.literal("${type}")`);
  }
}

const schemas = Object.values(CS_HANDLERS).map((h) => h.schema);

export const csTaskSchema = z.discriminatedUnion(
  "type",
  schemas as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<TaskInput>;

export const CS_TASK_TYPES: TaskTypeInfo[] = Object.entries(CS_HANDLERS).map(([type, h]) => ({
  type,
  description: h.description,
}));
