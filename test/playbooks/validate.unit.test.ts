import { describe, expect, it } from "vitest";
import { DefinitionSchema } from "../../src/playbooks/schema/definition.js";
import { validateForPublish } from "../../src/playbooks/validate.js";
import { email } from "./sample-steps.js";

describe("publish validation", () => {
  it("publish validation: unknown variables, agents, task types, account fields and execution-only trigger facts", () => {
    const def = DefinitionSchema.parse({
      name: "Bad",
      triggers: [{ type: "condition", condition: { fact: "response_received", op: "eq", value: true } }],
      steps: [
        email("a", { body: "Hi {{customer.nickname}}" }),
        { id: "b", name: "b", type: "agent_action", agent_id: "ghost", task: { type: "x" } },
        {
          id: "c",
          name: "c",
          type: "condition",
          condition: { fact: "account.shoe_size", op: "gt", value: 3 },
          if_true: "end",
          if_false: "end",
        },
        email("d", { to: "{{customer.champion}}" }),
      ],
    });
    const problems = validateForPublish(def, new Map());
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'triggers.0.condition: "response_received" is only known inside an execution, not in a trigger',
      "steps.0(a).body: unknown variable {{customer.nickname}}",
      'steps.1(b).agent_id: agent "ghost" is not registered (registered: none)',
      'steps.2(c).condition: unknown account field "account.shoe_size"',
      'steps.3(d): recipient "{{customer.champion}}" rendered to "Jordan Sample", not an email address',
    ]);
  });
});
