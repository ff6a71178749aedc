import { Card } from "../../../components/ui";
import { formatDateTime, humanize } from "../../../lib/format";
import type { TaskDetail } from "../../../types/api";

/** Past touchpoints with the customer: every task's outcomes, newest first. */
export function InteractionHistory({
  history,
  typeNames,
}: {
  history: TaskDetail["history"];
  typeNames: Map<string, string>;
}) {
  return (
    <Card title="Interaction history">
      {history.length === 0 ? (
        <p className="muted">No earlier outcomes with this customer.</p>
      ) : (
        <ol className="history" aria-label="Interaction history">
          {history.map((o) => (
            <li key={o.id}>
              <p>
                <strong>{typeNames.get(o.task_type) ?? humanize(o.task_type)}</strong> ·{" "}
                {humanize(o.outcome_type)}
                {o.objective_achieved ? ` · objective ${o.objective_achieved}` : ""}
                {o.sentiment ? ` · ${o.sentiment}` : ""}
                {o.channel ? ` · by ${o.channel}` : ""}
              </p>
              <p className="muted">{formatDateTime(o.created_at)}</p>
              {o.notes ? <p>{o.notes}</p> : null}
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
