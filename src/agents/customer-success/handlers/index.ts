/**
 * The Customer Success agent's handler table: task type -> {schema, description, build}. The task union
 * (tasks.ts) and the graph (graph.ts) are both built from it, so a new task type is one handler file
 * plus one entry here.
 */
import { assessChurnRiskHandler } from "./assess-churn-risk.js";
import { checkExpansionHandler } from "./check-expansion.js";
import { generateQbrHandler } from "./generate-qbr.js";
import { healthScanHandler } from "./health-scan.js";
import { trackFeatureAdoptionHandler } from "./track-feature-adoption.js";
import type { CsTaskHandler } from "./types.js";

export type { CsTaskHandler } from "./types.js";

export const CS_HANDLERS: Readonly<Record<string, CsTaskHandler>> = Object.freeze({
  health_scan: healthScanHandler,
  assess_churn_risk: assessChurnRiskHandler,
  generate_qbr: generateQbrHandler,
  track_feature_adoption: trackFeatureAdoptionHandler,
  check_expansion: checkExpansionHandler,
});
