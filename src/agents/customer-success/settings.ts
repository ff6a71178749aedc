/**
 * The scoring and alerting knobs of the Customer Success agent (weights and RAG thresholds are
 * configurable), read from config once per use so tests and tenants can change them.
 */
import type { Config } from "../../config.js";
import type { CsmWeights, RagThresholds } from "../../domain/health/csm-weights.js";

export interface CsmSettings {
  weights: Partial<CsmWeights> | undefined;
  thresholds: RagThresholds;
  maxAlertsPerScan: number;
  alertRepeatDays: number;
}

export function csmSettings(config: Config): CsmSettings {
  return {
    weights: config.CSM_HEALTH_WEIGHTS,
    thresholds: { green: config.RAG_GREEN_MIN, amber: config.RAG_AMBER_MIN },
    maxAlertsPerScan: config.ALERTS_MAX_PER_SCAN,
    alertRepeatDays: config.ALERT_REPEAT_DAYS,
  };
}
