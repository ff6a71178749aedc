/**
 * The product catalogue agents price expansion from: PRODUCT_CATALOGUE when configured, else the
 * built-in one of the demo product. The default reuses the demo book's module, feature and integration
 * names, so the detectors and the demo data can never drift apart; only the prices are added here.
 */
import type { Config } from "../../config.js";
import { DEMO_INTEGRATIONS, DEMO_MODULES } from "../../demo/book.js";
import { type ProductCatalogue, ProductCatalogueSchema } from "../../domain/catalogue.js";

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
  modules: Object.entries(DEMO_MODULES).map(([name, features]) => ({
    name,
    label: MODULE_PRICES[name]?.label ?? titleCase(name),
    annual_price: MODULE_PRICES[name]?.annual_price ?? 10_000,
    features: [...features],
  })),
  integrations: DEMO_INTEGRATIONS.map((name) => ({
    name,
    label: INTEGRATION_PRICES[name]?.label ?? titleCase(name),
    annual_price: INTEGRATION_PRICES[name]?.annual_price ?? 3_000,
  })),
});

export const productCatalogue = (config: Pick<Config, "PRODUCT_CATALOGUE">): ProductCatalogue =>
  config.PRODUCT_CATALOGUE ?? DEFAULT_PRODUCT_CATALOGUE;
