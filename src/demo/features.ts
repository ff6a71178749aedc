/** What of the product each demo account uses (features) and owns (modules and integrations). */
import {
  BASIC_FEATURES,
  FEATURE_CATALOGUE,
  MODULE_NAMES,
  PRODUCT_INTEGRATIONS,
  PRODUCT_MODULES,
} from "../domain/product.js";
import type { Prng } from "./prng.js";

/** An account's features in use and the modules and integrations it bought. */
export interface Product {
  features_used: string[];
  modules: string[];
}

/**
 * Features in use follow the adoption; an account normally owns the modules whose features it uses (so
 * the book does not flag everyone for expansion). Expansion accounts use one or two modules they lack.
 */
export function productFor(
  rng: Prng,
  adoption: number,
  expansion: boolean,
  hasIntegration: boolean,
): Product {
  const used = new Set<string>();
  const modules = new Set<string>();
  const target = Math.round(adoption * FEATURE_CATALOGUE.length);
  for (const f of rng.sample(BASIC_FEATURES, Math.max(1, Math.min(BASIC_FEATURES.length, target))))
    used.add(f);

  const order = rng.sample(MODULE_NAMES, MODULE_NAMES.length);
  let start = 0;
  // An expansion account bought nothing beyond the base plan (about a third) or only part of what it uses.
  const bare = expansion && rng.chance(0.35);
  if (expansion) {
    // One or two modules used heavily but not bought.
    const lacking = bare || rng.chance(0.4) ? 2 : 1;
    for (const m of order.slice(0, lacking)) for (const f of PRODUCT_MODULES[m] ?? []) used.add(f);
    start = lacking;
  }
  for (const m of order.slice(start)) {
    if (bare || used.size >= target) break;
    for (const f of PRODUCT_MODULES[m] ?? []) used.add(f);
    modules.add(m);
  }
  // Some shelfware: a module bought and barely touched.
  if (!expansion && rng.chance(0.12)) {
    const spare = order.find((m) => !modules.has(m));
    if (spare !== undefined) modules.add(spare);
  }
  // A monitored integration (heartbeat) means a bought one, except on expansion accounts, which may run
  // their own over the API without having bought the integration.
  const integrations = expansion
    ? bare || rng.chance(0.5)
      ? []
      : [rng.pick(PRODUCT_INTEGRATIONS)]
    : hasIntegration
      ? rng.sample(PRODUCT_INTEGRATIONS, rng.chance(0.3) ? 2 : 1)
      : rng.chance(0.1)
        ? [rng.pick(PRODUCT_INTEGRATIONS)]
        : [];
  return {
    features_used: FEATURE_CATALOGUE.filter((f) => used.has(f)),
    modules: [
      ...MODULE_NAMES.filter((m) => modules.has(m)),
      ...PRODUCT_INTEGRATIONS.filter((i) => integrations.includes(i)),
    ],
  };
}
