import { type InfiniteData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client";
import { queryKeys } from "../../../lib/query-keys";
import type { AccountHealth, QueuePage, TaskAction, TaskDetail } from "../../../types/api";

export function useTask(id: number) {
  return useQuery({
    queryKey: queryKeys.tasks.detail(id),
    queryFn: () => api.get<TaskDetail>(`/v1/cs/csm-tasks/${id}`),
  });
}

/** The customer's health with its breakdown (GET /v1/accounts/:id). */
export function useAccountHealth(id: string | undefined) {
  return useQuery({
    queryKey: queryKeys.accounts.detail(id ?? ""),
    enabled: !!id,
    queryFn: () => api.get<AccountHealth>(`/v1/accounts/${encodeURIComponent(id!)}`),
  });
}

/** A lifecycle action on a task; the task, the queues and the outcomes are read again afterwards. */
export function useTaskAction(id: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      action,
      body,
    }: {
      action: Exclude<TaskAction, "complete">;
      body?: Record<string, unknown>;
    }) => api.post<unknown>(`/v1/cs/csm-tasks/${id}/${action}`, body ?? {}),
    onSuccess: (_data, { action }) => {
      if (action !== "start" && action !== "reschedule") removeFromQueues(qc, id);
      return invalidateTaskViews(qc, id);
    },
  });
}

/**
 * Take a task that has left the queue out of every cached queue page at once, so the queue never shows
 * it again while its refetch is on the way.
 */
export function removeFromQueues(qc: ReturnType<typeof useQueryClient>, id: number): void {
  qc.setQueriesData<InfiniteData<QueuePage>>({ queryKey: queryKeys.queue.all }, (data) => {
    if (!data || !Array.isArray((data as Partial<InfiniteData<QueuePage>>).pages)) return data;
    let removed = 0;
    const pages = data.pages.map((p) => {
      const items = p.items.filter((t) => t.id !== id);
      removed += p.items.length - items.length;
      return { ...p, items };
    });
    return removed === 0 ? data : { ...data, pages: pages.map((p) => ({ ...p, total: p.total - removed })) };
  });
}

export function invalidateTaskViews(qc: ReturnType<typeof useQueryClient>, id: number) {
  return Promise.all([
    qc.invalidateQueries({ queryKey: queryKeys.tasks.detail(id) }),
    qc.invalidateQueries({ queryKey: queryKeys.queue.all }),
    qc.invalidateQueries({ queryKey: queryKeys.outcomes.all }),
  ]);
}
