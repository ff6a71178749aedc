import type { z } from "zod";
import type { Reachability } from "../records/port.js";

export interface LlmUsage {
  input_tokens: number;
  output_tokens: number;
}

export interface GenerateRequest<T> {
  /** Short name of what is generated, for logs and usage records (e.g. "churn_narrative"). */
  purpose: string;
  system: string;
  user: string;
  schema: z.ZodType<T>;
  /** Deterministic template used when no model is configured or the model's output is unusable. */
  template: () => T;
  /**
   * Checks a model answer against the inputs (e.g. every number must appear in the data); returns the
   * problem, or null. A failing answer gets one retry with the problem stated, then the template.
   */
  validate?: (output: T) => string | null;
}

export interface GenerateResult<T> {
  output: T;
  generated_by: "llm" | "template";
  /** Why the template was used although a model is configured. */
  fallback_reason?: string;
  usage?: LlmUsage;
}

export interface LlmPort {
  readonly kind: "template" | "openai";
  generate<T>(req: GenerateRequest<T>): Promise<GenerateResult<T>>;
  ping(): Promise<Reachability>;
}
