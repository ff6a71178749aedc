/**
 * Helpers for writing catalogue content (content/*.ts): gates and objection handlers are written in the
 * order a CSM meets them, and get their `order` from that position.
 */
import type {
  CallPlaybook,
  ObjectionHandler,
  QualityGate,
  TaskTypeDefinition,
} from "../../domain/tasks/catalog-schema.js";

/** One task type and its call playbook, sharing one gate list. */
export interface CatalogEntry {
  task_type: TaskTypeDefinition;
  playbook: CallPlaybook;
}

type GateSpec =
  | { id: string; question: string; gate_type: "boolean" | "text" | "rating"; required: boolean }
  | { id: string; question: string; gate_type: "select"; required: boolean; options: string[] };

export function defineGates(specs: GateSpec[]): QualityGate[] {
  return specs.map((spec, i) => ({
    id: spec.id,
    question: spec.question,
    gate_type: spec.gate_type,
    required: spec.required,
    options: spec.gate_type === "select" ? spec.options : null,
    order: i + 1,
  }));
}

export function defineHandlers(
  specs: Array<{ id: string; trigger: string; response: string }>,
): ObjectionHandler[] {
  return specs.map((spec, i) => ({ ...spec, order: i + 1 }));
}

export const YES_NO_UNSURE = ["Yes", "No", "Unsure"];
