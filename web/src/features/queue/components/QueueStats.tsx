import type { QueueSummary } from "../../../types/api";

/** Today's summary of the queue, as four figures with their names. */
export function QueueStats({ summary }: { summary: QueueSummary | undefined }) {
  const stats: [string, number | undefined, string][] = [
    ["Open", summary?.open, ""],
    ["Due today", summary?.due_today, ""],
    ["Overdue", summary?.overdue, "stat-warn"],
    ["Urgent", summary?.urgent, "stat-urgent"],
  ];
  return (
    <section aria-label="Today's summary" className="stats">
      <dl>
        {stats.map(([label, value, cls]) => (
          <div key={label} className={`stat ${value ? cls : ""}`}>
            <dt>{label}</dt>
            <dd>{value ?? "…"}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
