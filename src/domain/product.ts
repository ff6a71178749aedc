/**
 * The product itself: its onboarding steps, its features, the paid modules those features signal, the
 * integrations it sells and their list prices. Production code reads these (onboarding progress, the
 * default catalogue the expansion detectors price from); the demo book is generated from the same names,
 * so the two can never drift apart.
 */
import { type ProductCatalogue, ProductCatalogueSchema } from "./catalogue.js";

export const ONBOARDING_STEPS = [
  "kickoff",
  "sso_configured",
  "data_imported",
  "first_dashboard",
  "team_invited",
  "integration_live",
] as const;

export const BASIC_FEATURES = ["dashboards", "reports", "alerts", "mobile_app"] as const;

/** Paid modules and the features whose use signals them (an account can use a feature on a trial). */
export const PRODUCT_MODULES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  analytics_pro: ["advanced_reporting", "custom_dashboards", "data_export"],
  developer_platform: ["api_access", "webhooks"],
  enterprise_security: ["sso", "audit_log"],
  automation: ["workflow_automation"],
});

/** Integrations an account can buy; an account with a monitored integration (heartbeat) owns one. */
export const PRODUCT_INTEGRATIONS = [
  "salesforce_integration",
  "hubspot_integration",
  "slack_integration",
  "jira_integration",
] as const;

/** The paid modules, in catalogue order. */
export const MODULE_NAMES: readonly string[] = Object.freeze(Object.keys(PRODUCT_MODULES));

/** The 12 features of the product: 4 basic ones, then the 8 that signal a module. */
export const FEATURE_CATALOGUE: readonly string[] = Object.freeze([
  ...BASIC_FEATURES,
  ...MODULE_NAMES.flatMap((m) => PRODUCT_MODULES[m] ?? []),
]);

const MODULE_PRICES: Readonly<Record<string, { label: string; annual_price: number }>> = {
  analytics_pro: { label: "Analytics Pro", annual_price: 18_000 },
  developer_platform: { label: "Developer Platform", annual_price: 12_000 },
  enterprise_security: { label: "Enterprise Security", annual_price: 15_000 },
  automation: { label: "Automation", annual_price: 9_000 },
};

const INTEGRATION_PRICES: Readonly<Record<string, { label: string; annual_price: number }>> = {
  salesforce_integration: { label: "Salesforce integration", annual_price: 6_000 },
  hubspot_integration: { label: "HubSpot integration", annual_price: 4_800 },
  slack_integration: { label: "Slack integration", annual_price: 2_400 },
  jira_integration: { label: "Jira integration", annual_price: 3_600 },
};

const titleCase = (name: string): string =>
  name
    .split("_")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");

/** Parsed through the same schema as a configured catalogue, so the default obeys the same rules. */
export const DEFAULT_PRODUCT_CATALOGUE: ProductCatalogue = ProductCatalogueSchema.parse({
  seat_annual_price: 600,
  seat_block: 5,
  integration_api_calls_30d: 100_000,
  integration_heartbeat_hours: 168,
  modules: Object.entries(PRODUCT_MODULES).map(([name, features]) => ({
    name,
    label: MODULE_PRICES[name]?.label ?? titleCase(name),
    annual_price: MODULE_PRICES[name]?.annual_price ?? 10_000,
    features: [...features],
  })),
  integrations: PRODUCT_INTEGRATIONS.map((name) => ({
    name,
    label: INTEGRATION_PRICES[name]?.label ?? titleCase(name),
    annual_price: INTEGRATION_PRICES[name]?.annual_price ?? 3_000,
  })),
});
