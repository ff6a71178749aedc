/**
 * The Customer Success agent (CSM): the commercial layer over TAM's technical one. Scores account health
 * from 11 signals, predicts churn, alerts the riskiest accounts over four channels, and re-scores an
 * account when the TAM escalates it.
 */
import { defineAgent } from "../../graphs/agent.js";
import type { AgentDeps } from "../deps.js";
import { AGENT_ID } from "./agent-id.js";
import { assessChurnRisk } from "./assess-churn-risk/index.js";
import { checkExpansion } from "./check-expansion/index.js";
import { subscribeToTamEscalations } from "./escalations.js";
import { generateQbr } from "./generate-qbr/index.js";
import { healthScan } from "./health-scan/index.js";
import { trackFeatureAdoption } from "./track-feature-adoption/index.js";

/** Task type -> handler: the task union, the graph and /v1/agents all come from this table. */
export const CS_HANDLERS = {
  health_scan: healthScan,
  assess_churn_risk: assessChurnRisk,
  generate_qbr: generateQbr,
  track_feature_adoption: trackFeatureAdoption,
  check_expansion: checkExpansion,
};

export const customerSuccessAgent = defineAgent<AgentDeps>({
  id: AGENT_ID,
  name: "Customer Success",
  description:
    "Explainable account health scores, churn risk, four-channel churn alerts, and daily scans of the book",
  handlers: CS_HANDLERS,
  subscribe: subscribeToTamEscalations,
});
