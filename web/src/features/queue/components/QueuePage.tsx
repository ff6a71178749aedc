import { useQueryClient } from "@tanstack/react-query";
import { useMemo, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { ErrorMessage, Loading } from "../../../components/ui";
import { useLiveEvents } from "../../../lib/live-events";
import { queryKeys } from "../../../lib/query-keys";
import type { Priority, Session } from "../../../types/api";
import { hasScope } from "../../auth";
import {
  type DueFilter,
  QUEUE_EVENT_TYPES,
  type QueueFilters,
  useQueue,
  useQueueSummary,
  useTaskTypes,
  useTeamMembers,
} from "../api/queue";
import { PriorityQueue } from "./PriorityQueue";
import { QueueStats } from "./QueueStats";
import { TaskFilters } from "./TaskFilters";
import { TeamMemberPicker } from "./TeamMemberPicker";

const PRIORITIES = new Set(["urgent", "high", "standard", "low"]);
const DUES = new Set(["overdue", "today", "week"]);

/** The CSM's queue: today's summary, filters in the URL, the ranked tasks, live as tasks arrive. */
export function QueuePage({ session }: { session: Session }) {
  const [params, setParams] = useSearchParams();
  const team = hasScope(session, "cs:team");
  const members = useTeamMembers(team);
  const csmId = params.get("csm") ?? session.csm_id ?? members.data?.[0] ?? undefined;
  // Local state answers the click at once; the URL follows (it keeps the toggle across reloads).
  const [showSnoozed, setShowSnoozed] = useState(params.get("snoozed") === "1");
  const filters: QueueFilters = {
    task_type: params.get("task_type") ?? "",
    priority: (PRIORITIES.has(params.get("priority") ?? "") ? params.get("priority") : "") as Priority | "",
    due: (DUES.has(params.get("due") ?? "") ? params.get("due") : "") as DueFilter,
  };
  const ready = csmId !== undefined;
  const queue = useQueue(filters, csmId, undefined, ready);
  const snoozed = useQueue(filters, csmId, "snoozed", ready && showSnoozed);
  const summary = useQueueSummary(csmId);
  const types = useTaskTypes();
  const typeNames = useMemo(() => new Map((types.data ?? []).map((t) => [t.slug, t.name])), [types.data]);

  const qc = useQueryClient();
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // A generation run publishes one event per task: refetch once after a short quiet spell, not per event.
  const refresh = () => {
    if (pending.current) clearTimeout(pending.current);
    pending.current = setTimeout(() => void qc.invalidateQueries({ queryKey: queryKeys.queue.all }), 250);
  };
  useLiveEvents({ types: QUEUE_EVENT_TYPES, onEvent: refresh, onOpen: refresh });

  const update = (next: Record<string, string | undefined>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p, { replace: true });
  };

  const items = queue.data?.pages.flatMap((p) => p.items) ?? [];
  const total = queue.data?.pages[0]?.total ?? 0;
  const snoozedItems = snoozed.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="page queue-page">
      <header className="page-header">
        <h1>Queue</h1>
        {team ? (
          <TeamMemberPicker
            members={members.data ?? []}
            value={csmId}
            own={session.csm_id}
            onChange={(c) => update({ csm: c })}
          />
        ) : null}
      </header>
      {!ready && team ? (
        members.isLoading ? (
          <Loading />
        ) : (
          <p>No CSM has tasks yet.</p>
        )
      ) : (
        <>
          <QueueStats summary={summary.data} />
          <TaskFilters value={filters} taskTypes={types.data ?? []} onChange={(f) => update(f)} />
          <label className="toggle">
            <input
              type="checkbox"
              checked={showSnoozed}
              onChange={(e) => {
                setShowSnoozed(e.target.checked);
                update({ snoozed: e.target.checked ? "1" : undefined });
              }}
            />
            Show snoozed tasks{summary.data ? ` (${summary.data.snoozed})` : ""}
          </label>
          {queue.isLoading ? (
            <Loading label="Loading the queue…" />
          ) : queue.error ? (
            <ErrorMessage error={queue.error} />
          ) : (
            <PriorityQueue
              label="Task queue"
              tasks={items}
              typeNames={typeNames}
              total={total}
              hasMore={!!queue.hasNextPage}
              loadingMore={queue.isFetchingNextPage}
              onMore={() => void queue.fetchNextPage()}
            />
          )}
          {showSnoozed ? (
            <section aria-labelledby="snoozed-heading" className="snoozed">
              <h2 id="snoozed-heading">Snoozed</h2>
              {snoozed.isLoading ? (
                <Loading />
              ) : (
                <PriorityQueue
                  label="Snoozed tasks"
                  tasks={snoozedItems}
                  typeNames={typeNames}
                  total={snoozed.data?.pages[0]?.total ?? 0}
                  hasMore={!!snoozed.hasNextPage}
                  loadingMore={snoozed.isFetchingNextPage}
                  onMore={() => void snoozed.fetchNextPage()}
                />
              )}
            </section>
          ) : null}
        </>
      )}
    </div>
  );
}
