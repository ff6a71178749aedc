/** Step definitions for the pure playbook tests: the least a step of each kind needs. */

/** An email step to the CSM; `extra` adds or replaces fields. */
export const email = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: id,
  type: "email",
  to: "csm",
  subject: "s",
  body: "b",
  ...extra,
});
