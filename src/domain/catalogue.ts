/**
 * The product catalogue: which paid modules and integrations exist, what they cost a
 * year, which features signal a module, and the usage that signals an integration. The expansion
 * detectors read it; config supplies it (PRODUCT_CATALOGUE) or the built-in default is used. Pure.
 */
import { z } from "zod";

const name = z.string().regex(/^[a-z][a-z0-9_]*$/, "expected a snake_case name such as analytics_pro");
const price = z.number().finite().min(0);

export const CatalogueModuleSchema = z.strictObject({
  name,
  label: z.string().min(1),
  /** List price per year. */
  annual_price: price,
  /** Features whose use signals the module (an account can use them on a trial without owning it). */
  features: z.array(name).min(1),
});

export const CatalogueIntegrationSchema = z.strictObject({
  name,
  label: z.string().min(1),
  annual_price: price,
});

export const ProductCatalogueSchema = z
  .strictObject({
    /** Seats: the list price of one seat per year, used when the account's own rate is unknown. */
    seat_annual_price: price,
    /** Seats are sold in blocks of this size. */
    seat_block: z.number().int().min(1),
    modules: z.array(CatalogueModuleSchema),
    integrations: z.array(CatalogueIntegrationSchema),
    /** Usage that signals an integration the account built itself: API calls in 30 days at or above... */
    integration_api_calls_30d: z.number().int().min(1),
    /** ...or an integration heartbeat seen within this many hours, with no integration bought. */
    integration_heartbeat_hours: z.number().min(1),
  })
  .superRefine((c, ctx) => {
    const names = [...c.modules.map((m) => m.name), ...c.integrations.map((i) => i.name)];
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup) ctx.addIssue({ code: "custom", message: `"${dup}" appears twice in the catalogue` });
  });

export type CatalogueModule = z.infer<typeof CatalogueModuleSchema>;
export type CatalogueIntegration = z.infer<typeof CatalogueIntegrationSchema>;
export type ProductCatalogue = z.infer<typeof ProductCatalogueSchema>;

/** Parse a catalogue given as JSON text; the error names the first bad field. */
export function parseProductCatalogue(
  json: string,
): { ok: true; value: ProductCatalogue } | { ok: false; error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ok: false, error: "expected JSON (see .env.example for the shape)" };
  }
  const parsed = ProductCatalogueSchema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  return { ok: false, error: `${where}${issue.message}` };
}

export const findModule = (c: ProductCatalogue, moduleName: string): CatalogueModule | undefined =>
  c.modules.find((m) => m.name === moduleName);

export const findIntegration = (c: ProductCatalogue, integration: string): CatalogueIntegration | undefined =>
  c.integrations.find((i) => i.name === integration);

/** The integrations among what an account bought (Account.modules holds modules and integrations). */
export const ownedIntegrations = (c: ProductCatalogue, bought: readonly string[]): string[] =>
  c.integrations.filter((i) => bought.includes(i.name)).map((i) => i.name);
