import { Button } from "../../../components/ui";
import { formatDate } from "../../../lib/format";
import { mondayOf } from "../api/outcomes";

/** Which week's outcomes: the previous, the next (not past this week), or this week. */
export function WeekPicker({
  week,
  onChange,
}: {
  week: string | undefined;
  onChange: (week: string | undefined) => void;
}) {
  const thisWeek = mondayOf(new Date());
  const current = week ?? thisWeek;
  const at = new Date(`${current}T12:00:00Z`);
  const end = new Date(at.getTime() + 6 * 86_400_000);
  return (
    <nav aria-label="Week" className="week-picker">
      <Button onClick={() => onChange(mondayOf(at, -1))}>Previous week</Button>
      <span aria-live="polite" className="week-label">
        Week of {formatDate(current)} – {formatDate(end.toISOString().slice(0, 10))}
        {current === thisWeek ? " (this week)" : ""}
      </span>
      <Button
        onClick={() => onChange(mondayOf(at, 1) === thisWeek ? undefined : mondayOf(at, 1))}
        disabled={current >= thisWeek}
      >
        Next week
      </Button>
      {current !== thisWeek ? <Button onClick={() => onChange(undefined)}>This week</Button> : null}
    </nav>
  );
}
