import type { AgentDeps } from "../agents/deps.js";
import type { AgentDefinition } from "../graphs/agent.js";
import type { Condition } from "./conditions/ast.js";
import { factsOf } from "./conditions/evaluate.js";
import { renderAction } from "./render/action.js";
import { RenderError } from "./render/env.js";
import { checkTemplate } from "./render/templating.js";
import { SAMPLE_ACCOUNT } from "./render/variables.js";
import { EXECUTION_ONLY_FACTS } from "./schema/condition.js";
import type { Definition } from "./schema/definition.js";
import { isGated, type Step } from "./schema/steps.js";

/**
 * What publishing checks beyond the schema (a draft may be incomplete; a published playbook may not):
 * every template uses only catalogued variables and helpers, every agent action names a registered
 * agent and a task it accepts, every account fact exists, and every step renders for a sample customer.
 */

export interface Problem {
  path: string;
  message: string;
}

const RECIPIENT_KEYWORDS = new Set(["customer", "csm", "account_executive"]);
const ACCOUNT_FIELDS = new Set(Object.keys(SAMPLE_ACCOUNT));

function templatesOf(step: Step): Array<[string, string]> {
  const recipients = (field: string, list: string[]) =>
    list.flatMap(
      (r, i): Array<[string, string]> => (RECIPIENT_KEYWORDS.has(r) ? [] : [[`${field}.${i}`, r]]),
    );
  switch (step.type) {
    case "email":
      return [
        ["subject", step.subject],
        ["body", step.body],
        ...(RECIPIENT_KEYWORDS.has(step.to) ? [] : [["to", step.to] as [string, string]]),
        ...recipients("cc", step.cc),
      ];
    case "meeting":
      return [["title", step.title], ["agenda", step.agenda], ...recipients("attendees", step.attendees)];
    case "task":
      return step.note ? [["note", step.note]] : [];
    case "agent_action": {
      const out: Array<[string, string]> = [];
      const walk = (v: unknown, path: string) => {
        if (typeof v === "string") out.push([path, v]);
        else if (Array.isArray(v)) {
          for (const [i, x] of v.entries()) walk(x, `${path}.${i}`);
        } else if (v && typeof v === "object")
          for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
      };
      walk(step.task, "task");
      return out;
    }
    default:
      return [];
  }
}

function checkFacts(c: Condition, path: string, allowExecutionFacts: boolean): Problem[] {
  const problems: Problem[] = [];
  for (const fact of factsOf(c)) {
    if (fact.startsWith("account.") && !ACCOUNT_FIELDS.has(fact.slice("account.".length)))
      problems.push({ path, message: `unknown account field "${fact}"` });
    if (!allowExecutionFacts && (EXECUTION_ONLY_FACTS as readonly string[]).includes(fact))
      problems.push({ path, message: `"${fact}" is only known inside an execution, not in a trigger` });
  }
  return problems;
}

export function validateForPublish(
  def: Definition,
  agents: ReadonlyMap<string, AgentDefinition<AgentDeps>>,
  salesFallbackEmail: string | null = null,
): Problem[] {
  const problems: Problem[] = [];
  def.triggers.forEach((t, i) => {
    if (t.type === "condition") problems.push(...checkFacts(t.condition, `triggers.${i}.condition`, false));
  });
  def.steps.forEach((step, i) => {
    const at = `steps.${i}(${step.id})`;
    const before = problems.length;
    for (const [field, source] of templatesOf(step)) {
      for (const p of checkTemplate(source)) problems.push({ path: `${at}.${field}`, message: p.message });
    }
    if (step.type === "condition") problems.push(...checkFacts(step.condition, `${at}.condition`, true));
    if (step.type === "agent_action") {
      const agent = agents.get(step.agent_id);
      if (!agent) {
        problems.push({
          path: `${at}.agent_id`,
          message: `agent "${step.agent_id}" is not registered (registered: ${[...agents.keys()].join(", ") || "none"})`,
        });
      } else if (!agent.tasks.some((t) => t.type === step.task.type)) {
        problems.push({
          path: `${at}.task.type`,
          message: `agent ${step.agent_id} has no task "${step.task.type}" (it accepts ${agent.tasks.map((t) => t.type).join(", ")})`,
        });
      }
    }
    // Templates that parse may still fail to render (a recipient that is not an address): try one.
    if (problems.length === before && isGated(step)) {
      try {
        const action = renderAction(step, {
          account: SAMPLE_ACCOUNT,
          execution_id: "pbx_sample",
          playbook_name: def.name,
          contact_email: "contact@sample.example.com",
          started_at: new Date("2025-06-01T00:00:00Z"),
          now: new Date("2025-06-02T09:00:00Z"),
          sales_fallback_email: salesFallbackEmail,
          agents,
        });
        if (action.type === "agent_action") {
          const parsed = agents.get(action.agent_id)?.taskSchema.safeParse(action.task);
          if (parsed && !parsed.success) {
            for (const issue of parsed.error.issues)
              problems.push({ path: `${at}.task.${issue.path.join(".")}`, message: issue.message });
          }
        }
      } catch (err) {
        problems.push({
          path: at,
          message: err instanceof RenderError ? err.message : `does not render: ${String(err)}`,
        });
      }
    }
  });
  return problems;
}
