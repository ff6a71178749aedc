import { Field } from "../../../components/ui";
import type { Priority, TaskType } from "../../../types/api";
import type { DueFilter, QueueFilters } from "../api/queue";

/** Filters by task type, priority and due date; the page keeps them in the URL. */
export function TaskFilters({
  value,
  taskTypes,
  onChange,
}: {
  value: QueueFilters;
  taskTypes: TaskType[];
  onChange: (next: Partial<QueueFilters>) => void;
}) {
  return (
    <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <Field label="Task type">
        <select value={value.task_type} onChange={(e) => onChange({ task_type: e.target.value })}>
          <option value="">All task types</option>
          {taskTypes.map((t) => (
            <option key={t.slug} value={t.slug}>
              {t.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Priority">
        <select
          value={value.priority}
          onChange={(e) => onChange({ priority: e.target.value as Priority | "" })}
        >
          <option value="">All priorities</option>
          <option value="urgent">Urgent</option>
          <option value="high">High</option>
          <option value="standard">Standard</option>
          <option value="low">Low</option>
        </select>
      </Field>
      <Field label="Due">
        <select value={value.due} onChange={(e) => onChange({ due: e.target.value as DueFilter })}>
          <option value="">Any time</option>
          <option value="overdue">Overdue</option>
          <option value="today">Due today</option>
          <option value="week">Due within 7 days</option>
        </select>
      </Field>
    </form>
  );
}
