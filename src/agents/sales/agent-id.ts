/** The Sales agent's id: its API path, event source and run-manager registration. */
export const AGENT_ID = "sales";
