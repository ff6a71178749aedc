/**
 * Query keys per resource: every cached read is named here, so a mutation or a live event invalidates
 * exactly what it changed (e.g. `queryKeys.queue.all` covers every queue listing and summary).
 */
export const queryKeys = {
  session: ["session"] as const,
  queue: {
    all: ["queue"] as const,
    list: (filters: Record<string, string | undefined>) => ["queue", "list", filters] as const,
    summary: (csmId: string | undefined) => ["queue", "summary", csmId ?? "me"] as const,
  },
  tasks: {
    all: ["tasks"] as const,
    detail: (id: number) => ["tasks", id] as const,
  },
  taskTypes: ["task-types"] as const,
  accounts: {
    detail: (id: string) => ["accounts", id] as const,
  },
  outcomes: {
    all: ["outcomes"] as const,
    weekly: (csmId: string | undefined, weekOf: string | undefined) =>
      ["outcomes", "weekly", csmId ?? "me", weekOf ?? "this"] as const,
    team: (weekOf: string | undefined) => ["outcomes", "team", weekOf ?? "this"] as const,
  },
};
