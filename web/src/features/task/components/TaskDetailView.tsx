import { useMemo } from "react";
import { Link, useNavigate } from "react-router";
import { ErrorMessage, Loading, PriorityBadge, useToast } from "../../../components/ui";
import { ApiError } from "../../../lib/api-client";
import { formatDate, humanize } from "../../../lib/format";
import type { TaskAction } from "../../../types/api";
import { OutcomeForm, useCompleteTask } from "../../outcome";
import { useTaskTypes } from "../../queue/api/queue";
import { useAccountHealth, useTask, useTaskAction } from "../api/task";
import { CustomerContextPanel } from "./CustomerContextPanel";
import { InteractionHistory } from "./InteractionHistory";
import { PlaybookPanel } from "./PlaybookPanel";
import { TaskActions } from "./TaskActions";

const DONE_MESSAGE: Partial<Record<TaskAction, string>> = {
  start: "Task started.",
  snooze: "Task snoozed.",
  reschedule: "Task rescheduled.",
  escalate: "Task escalated.",
  block: "Task marked blocked.",
  cancel: "Task cancelled.",
};
/** Actions after which the task has left the CSM's queue: back to the queue. */
const LEAVES_QUEUE = new Set<TaskAction>(["snooze", "escalate", "block", "cancel"]);

/** A task with its call playbook, the customer beside it, the history, its actions and the outcome form. */
export function TaskDetailView({ id }: { id: number }) {
  const task = useTask(id);
  const health = useAccountHealth(task.data?.customer?.id);
  const types = useTaskTypes();
  const typeNames = useMemo(() => new Map((types.data ?? []).map((t) => [t.slug, t.name])), [types.data]);
  const action = useTaskAction(id);
  const complete = useCompleteTask(id);
  const toast = useToast();
  const navigate = useNavigate();

  if (task.isLoading) return <Loading label="Loading the task…" />;
  if (task.error || !task.data) return <ErrorMessage error={task.error} />;
  const d = task.data;
  const overdue =
    new Date(d.task.due_date).getTime() < Date.now() &&
    (d.task.status === "pending" || d.task.status === "in_progress");

  const onAction = (a: Exclude<TaskAction, "complete">, body?: Record<string, unknown>) =>
    action.mutate(
      { action: a, ...(body ? { body } : {}) },
      {
        onSuccess: () => {
          toast.show(DONE_MESSAGE[a] ?? "Done.");
          if (LEAVES_QUEUE.has(a)) navigate("/queue");
        },
        onError: (err) => toast.show(err instanceof ApiError ? err.message : "The action failed.", "error"),
      },
    );

  return (
    <div className="page task-page">
      <p>
        <Link to="/queue">← Back to the queue</Link>
      </p>
      <header className="page-header task-header">
        <h1>
          {d.task_type.name}: {d.task.customer_name}
        </h1>
        <p className="task-summary">
          <PriorityBadge priority={d.task.priority} score={d.task.priority_score} />{" "}
          <span className="status-chip">{humanize(d.task.status)}</span>{" "}
          <span className={overdue ? "due due-overdue" : "due"}>
            Due {formatDate(d.task.due_date)}
            {overdue ? " · Overdue" : ""}
          </span>
        </p>
      </header>
      <TaskActions allowed={d.allowed_actions} busy={action.isPending} onAction={onAction} />
      <div className="task-grid">
        <div className="task-main">
          <PlaybookPanel detail={d} />
          {d.allowed_actions.includes("complete") ? (
            <OutcomeForm
              gates={d.task_type.quality_gates}
              submitting={complete.isPending}
              error={complete.error}
              onSubmit={(body) =>
                complete.mutate(body, {
                  onSuccess: () => {
                    toast.show(`Outcome saved: ${d.task_type.name} for ${d.task.customer_name} is complete.`);
                    navigate("/queue");
                  },
                })
              }
            />
          ) : d.task.status === "pending" ? (
            <p className="hint">Start the task to record its outcome.</p>
          ) : null}
        </div>
        <aside className="task-side" aria-label="Customer">
          {d.customer ? (
            <CustomerContextPanel
              customer={d.customer}
              health={health.data?.health}
              taskChurnRisk={d.task.customer.churn_risk}
            />
          ) : (
            <p>The customer's record was not found.</p>
          )}
          <InteractionHistory history={d.history ?? []} typeNames={typeNames} />
        </aside>
      </div>
    </div>
  );
}
