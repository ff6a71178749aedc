/** The product catalogue agents price expansion from: PRODUCT_CATALOGUE when configured, else the built-in one. */
import type { Config } from "../../config.js";
import type { ProductCatalogue } from "../../domain/catalogue.js";
import { DEFAULT_PRODUCT_CATALOGUE } from "../../domain/product.js";

export { DEFAULT_PRODUCT_CATALOGUE };

export const productCatalogue = (config: Pick<Config, "PRODUCT_CATALOGUE">): ProductCatalogue =>
  config.PRODUCT_CATALOGUE ?? DEFAULT_PRODUCT_CATALOGUE;
