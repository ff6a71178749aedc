import { z } from "zod";
import { StepSchema } from "./steps.js";
import { TriggerSchema } from "./triggers.js";

/**
 * The shape of an executable playbook: a template with triggers and an ordered list of steps.
 * Templates are stored as JSON and validated with these schemas on every write; an execution keeps the
 * snapshot it started with, so editing a template never changes a running execution.
 *
 * Control flow is a linear list with forward jumps only (condition branches and `next`), which keeps
 * every execution finite: a step is visited at most once.
 */

export const DefinitionSchema = z
  .strictObject({
    name: z.string().min(1).max(120),
    description: z.string().max(2_000).default(""),
    /** Higher wins when two playbooks trigger for one customer. */
    priority: z.number().int().min(0).max(100).default(50),
    on_failure: z.enum(["stop", "continue"]).default("stop"),
    triggers: z
      .array(TriggerSchema)
      .max(10)
      .default([{ type: "manual" }]),
    steps: z.array(StepSchema).min(1).max(50),
  })
  .superRefine((d, ctx) => {
    const index = new Map<string, number>();
    d.steps.forEach((s, i) => {
      if (index.has(s.id))
        ctx.addIssue({ code: "custom", path: ["steps", i, "id"], message: `duplicate step id "${s.id}"` });
      index.set(s.id, i);
    });
    const checkTarget = (from: number, to: string | undefined, path: (string | number)[]) => {
      if (to === undefined || to === "end") return;
      const at = index.get(to);
      if (at === undefined) ctx.addIssue({ code: "custom", path, message: `unknown step "${to}"` });
      else if (at <= from)
        ctx.addIssue({
          code: "custom",
          path,
          message: `"${to}" is not after this step: jumps go forward only`,
        });
    };
    d.steps.forEach((s, i) => {
      checkTarget(i, s.next, ["steps", i, "next"]);
      if (s.type === "condition") {
        checkTarget(i, s.if_true, ["steps", i, "if_true"]);
        checkTarget(i, s.if_false, ["steps", i, "if_false"]);
      }
    });
  });
export type Definition = z.infer<typeof DefinitionSchema>;
/** What a client sends: defaults not yet applied. */
export type DefinitionInput = z.input<typeof DefinitionSchema>;

/** The step that runs after `index` when nothing jumps: its `next`, else the following one, else the end. */
export function nextStepId(def: Pick<Definition, "steps">, index: number): string | null {
  const step = def.steps[index];
  if (step?.next) return step.next === "end" ? null : step.next;
  return def.steps[index + 1]?.id ?? null;
}

export const resolveTarget = (t: string): string | null => (t === "end" ? null : t);
