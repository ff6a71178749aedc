import { Field } from "../../../components/ui";

/** The next action agreed on the call and when it is due. */
export function NextActionForm({
  notes,
  date,
  errors,
  onChange,
}: {
  notes: string;
  date: string;
  errors: Record<string, string>;
  onChange: (next: { notes?: string; date?: string }) => void;
}) {
  return (
    <div className="next-action">
      <Field label="Next action" error={errors["next_action"]}>
        <input
          type="text"
          value={notes}
          onChange={(e) => onChange({ notes: e.target.value })}
          placeholder="e.g. Send the training plan"
        />
      </Field>
      <Field label="Next action date">
        <input type="date" value={date} onChange={(e) => onChange({ date: e.target.value })} />
      </Field>
    </div>
  );
}
