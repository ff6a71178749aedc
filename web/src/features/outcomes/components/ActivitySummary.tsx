import type { WeeklyMetrics } from "../../../types/api";

/** Activity is context, not the goal: shown small, after the outcomes. */
export function ActivitySummary({ activity }: { activity: WeeklyMetrics["activity"] }) {
  return (
    <section aria-labelledby="activity-heading" className="activity">
      <h2 id="activity-heading">Activity (context)</h2>
      <p>
        {activity.calls} calls · {activity.emails} emails · {activity.tasks} tasks closed
      </p>
    </section>
  );
}
