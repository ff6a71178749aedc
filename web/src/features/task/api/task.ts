import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../lib/api-client";
import { queryKeys } from "../../../lib/query-keys";
import type { AccountHealth, TaskAction, TaskDetail } from "../../../types/api";

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
    onSuccess: () => invalidateTaskViews(qc, id),
  });
}

export function invalidateTaskViews(qc: ReturnType<typeof useQueryClient>, id: number) {
  return Promise.all([
    qc.invalidateQueries({ queryKey: queryKeys.tasks.detail(id) }),
    qc.invalidateQueries({ queryKey: queryKeys.queue.all }),
    qc.invalidateQueries({ queryKey: queryKeys.outcomes.all }),
  ]);
}
