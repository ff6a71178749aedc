import type { ReactNode } from "react";

/** One outcome figure: its value, its goal (when it has one) and a progress bar with the same numbers in text. */
export function OutcomeMetricCard({
  title,
  value,
  goal,
  detail,
}: {
  title: string;
  value: ReactNode;
  goal?: { actual: number; goal: number };
  detail?: string;
}) {
  return (
    <article className="metric-card" aria-label={title}>
      <h3>{title}</h3>
      <p className="metric-value">{value}</p>
      {goal ? (
        <>
          <p className="metric-goal">
            {goal.actual} of {goal.goal} goal{goal.actual >= goal.goal ? " · goal met" : ""}
          </p>
          {goal.goal > 0 ? (
            <meter
              className="meter"
              min={0}
              max={goal.goal}
              value={Math.min(goal.actual, goal.goal)}
              aria-label={`${title}: ${goal.actual} of ${goal.goal}`}
            />
          ) : null}
        </>
      ) : null}
      {detail ? <p className="metric-detail">{detail}</p> : null}
    </article>
  );
}
