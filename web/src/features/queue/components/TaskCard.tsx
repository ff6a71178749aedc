import { Link } from "react-router";
import { PriorityBadge, RagBadge } from "../../../components/ui";
import { formatDate, formatMoney, humanize } from "../../../lib/format";
import type { QueueItem } from "../../../types/api";

/**
 * One task of the queue: its priority badge first (the item's text starts with it), then the task type,
 * the customer, ARR, health, due date and whether it is overdue, in words as well as colour.
 */
export function TaskCard({ task, typeName }: { task: QueueItem; typeName?: string | undefined }) {
  const overdue = new Date(task.due_date).getTime() < Date.now();
  return (
    <li className={`task-card ${overdue ? "task-overdue" : ""}`}>
      <Link to={`/queue/${task.id}`} className="task-link">
        <PriorityBadge priority={task.priority} score={task.priority_score} />
        <span className="task-type">{typeName ?? humanize(task.task_type)}</span>
        <span className="task-customer">{task.customer_name}</span>
        <span className="task-meta">
          <span>ARR {formatMoney(task.customer.arr)}</span>
          <RagBadge rag={task.health?.rag} score={task.health?.score} />
          <span className={overdue ? "due due-overdue" : "due"}>
            Due {formatDate(task.due_date)}
            {overdue ? (task.days_overdue > 0 ? ` · Overdue ${task.days_overdue} d` : " · Overdue") : ""}
          </span>
          {task.status === "in_progress" ? <span className="status-chip">In progress</span> : null}
          {task.status === "snoozed" && task.snooze_until ? (
            <span className="status-chip">Snoozed until {formatDate(task.snooze_until)}</span>
          ) : null}
        </span>
      </Link>
    </li>
  );
}
