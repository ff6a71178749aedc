import type { GenerateRequest, GenerateResult, LlmPort } from "./port.js";

/**
 * The embedded default narrator: no model, so every caller's deterministic template is used and the
 * output says so (generated_by: "template").
 */
export class TemplateNarrator implements LlmPort {
  readonly kind = "template" as const;

  async generate<T>(req: GenerateRequest<T>): Promise<GenerateResult<T>> {
    return { output: req.schema.parse(req.template()), generated_by: "template" };
  }

  async ping() {
    return { ok: true, detail: "template narrator (no model configured)" };
  }
}
