import { VARIABLES } from "../../../playbooks/render/variables.js";
import { requireScope } from "../../auth.js";
import type { RouteModule } from "../../route.js";

/** The template variables, helpers and blocks a playbook's text may use (what the builder offers). */
export const playbookVariableRoutes: RouteModule = (app) => {
  app.get(
    "/v1/playbooks/variables",
    {
      preHandler: requireScope("read"),
      schema: { tags: ["playbooks"], summary: "The template variables and helpers a playbook may use" },
    },
    async () => ({
      variables: Object.entries(VARIABLES).map(([name, description]) => ({
        name: `{{${name}}}`,
        description,
      })),
      helpers: [
        { name: "format_date", example: "{{format_date customer.renewal_date}}" },
        { name: "currency", example: "{{currency customer.arr}}" },
        { name: "percent", example: "{{percent customer.feature_adoption}}" },
        { name: "default", example: '{{default customer.champion "there"}}' },
      ],
      blocks: ["{{#if value}}...{{else}}...{{/if}}", "{{#unless value}}...{{/unless}}"],
    }),
  );
};
