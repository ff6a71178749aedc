import { Button } from "../../../components/ui";
import type { QueueItem } from "../../../types/api";
import { TaskCard } from "./TaskCard";

/** Tasks in the order the API ranks them (priority score, highest first), with more loaded on demand. */
export function PriorityQueue({
  label,
  tasks,
  typeNames,
  total,
  hasMore,
  loadingMore,
  onMore,
}: {
  label: string;
  tasks: QueueItem[];
  typeNames: Map<string, string>;
  total: number;
  hasMore: boolean;
  loadingMore: boolean;
  onMore: () => void;
}) {
  if (tasks.length === 0) return <p className="empty">No tasks match. Nice work.</p>;
  return (
    <>
      <ol className="task-list" aria-label={label}>
        {tasks.map((t) => (
          <TaskCard key={t.id} task={t} typeName={typeNames.get(t.task_type)} />
        ))}
      </ol>
      <p className="list-footer">
        Showing {tasks.length} of {total}
        {hasMore ? (
          <Button onClick={onMore} busy={loadingMore}>
            Show more
          </Button>
        ) : null}
      </p>
    </>
  );
}
