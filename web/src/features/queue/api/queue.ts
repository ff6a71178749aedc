import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api } from "../../../lib/api-client";
import { localTimeZone } from "../../../lib/format";
import { queryKeys } from "../../../lib/query-keys";
import type { Priority, QueuePage, QueueSummary, TaskType, TeamView } from "../../../types/api";

/** The due-date filter as the URL keeps it. */
export type DueFilter = "overdue" | "today" | "week" | "";

export interface QueueFilters {
  task_type: string;
  priority: Priority | "";
  due: DueFilter;
}

/** The queue's due_before/due_after for a due filter, as of `now` in the browser's day. */
export function dueRange(
  due: DueFilter,
  now: Date = new Date(),
): { due_before?: string; due_after?: string } {
  const startOfDay = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const endOfDay = new Date(startOfDay.getTime() + 86_400_000);
  switch (due) {
    case "overdue":
      return { due_before: now.toISOString() };
    case "today":
      return {
        due_after: new Date(startOfDay.getTime() - 1).toISOString(),
        due_before: endOfDay.toISOString(),
      };
    case "week":
      return { due_before: new Date(endOfDay.getTime() + 6 * 86_400_000).toISOString() };
    default:
      return {};
  }
}

const PAGE = 50;

/** A CSM's queue by priority score, 50 at a time; `status` "snoozed" lists the hidden snoozed tasks. */
export function useQueue(
  filters: QueueFilters,
  csmId: string | undefined,
  status?: "snoozed",
  enabled = true,
) {
  const key = { ...filters, csm_id: csmId, status };
  return useInfiniteQuery({
    queryKey: queryKeys.queue.list(key),
    enabled,
    initialPageParam: null as string | null,
    placeholderData: keepPreviousData,
    queryFn: ({ pageParam }) =>
      api.get<QueuePage>("/v1/cs/csm-tasks/queue", {
        csm_id: csmId,
        status,
        task_type: filters.task_type,
        priority: filters.priority,
        ...dueRange(filters.due),
        limit: PAGE,
        cursor: pageParam,
      }),
    getNextPageParam: (last) => last.next_cursor,
  });
}

export function useQueueSummary(csmId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.queue.summary(csmId),
    queryFn: () =>
      api.get<QueueSummary>("/v1/cs/csm-tasks/queue/summary", { csm_id: csmId, tz: localTimeZone() }),
  });
}

export function useTaskTypes() {
  return useQuery({
    queryKey: queryKeys.taskTypes,
    queryFn: async () => (await api.get<{ items: TaskType[] }>("/v1/cs/task-types")).items,
    staleTime: 10 * 60_000,
  });
}

/** The team's CSMs (for cs:team keys): the members of the team outcome view. */
export function useTeamMembers(enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.outcomes.team(undefined),
    enabled,
    queryFn: () => api.get<TeamView>("/v1/cs/csm-tasks/outcomes/team"),
    select: (view) => view.members.map((m) => m.csm_id),
  });
}

/** Task events that change what a queue shows. */
export const QUEUE_EVENT_TYPES = [
  "task.created",
  "task.status_changed",
  "task.completed",
  "task.rescheduled",
  "task.escalated",
] as const;
