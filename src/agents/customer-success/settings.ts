/**
 * The scoring and alerting knobs of the Customer Success agent, read from config once per use so tests
 * and tenants can change them (issue 3: weights and RAG thresholds are configurable).
 */
import type { Config } from "../../config.js";
import type { CsmWeights, RagThresholds } from "../../domain/health/csm-score.js";

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

/** Scan rows of finished runs are kept this long (the CLI and operators read a run's rows after it). */
export const SCAN_RESULTS_RETENTION_DAYS = 14;

/** Accounts per page when a scan walks its rows: bounds memory whatever the book's size. */
export const SCAN_PAGE_SIZE = 500;
