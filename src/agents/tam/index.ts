/**
 * The Technical Account Manager agent: technical health from tickets and the integration heartbeat,
 * escalations over four channels, outreach on demand, and the Technical Relationship Profile. It takes
 * hand-offs (e.g. Sales' dispatch_tam_health_check) through its durable bus subscription.
 */
import { defineAgent } from "../../graphs/agent.js";
import type { AgentDeps } from "../deps.js";
import { subscribeHandoffs } from "../shared/handoff.js";
import { AGENT_ID } from "./agent-id.js";
import { escalationOutreach } from "./escalation-outreach/index.js";
import { healthScan } from "./health-scan/index.js";
import { updateRelationshipProfile } from "./update-relationship-profile/index.js";

/** Task type -> handler: the task union, the graph and /v1/agents all come from this table. */
export const TAM_HANDLERS = {
  health_scan: healthScan,
  escalation_outreach: escalationOutreach,
  update_relationship_profile: updateRelationshipProfile,
};

export const tamAgent = defineAgent<AgentDeps>({
  id: AGENT_ID,
  name: "Technical Account Manager",
  description:
    "Technical health (tickets, integration heartbeat), escalations to the account's owner and Slack, outreach drafts, and the Technical Relationship Profile.",
  handlers: TAM_HANDLERS,
  subscribe: subscribeHandoffs,
});
