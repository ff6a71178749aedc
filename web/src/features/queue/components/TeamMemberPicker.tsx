import { Field } from "../../../components/ui";
import { personName } from "../../../lib/format";

/** Whose queue to show, for keys that see the team (cs:team). */
export function TeamMemberPicker({
  members,
  value,
  own,
  onChange,
}: {
  members: string[];
  value: string | undefined;
  own: string | null;
  onChange: (csmId: string | undefined) => void;
}) {
  const all = own && !members.includes(own) ? [own, ...members] : members;
  return (
    <Field label="Team member">
      <select value={value ?? own ?? ""} onChange={(e) => onChange(e.target.value || undefined)}>
        {own ? null : <option value="">Choose a CSM</option>}
        {all.map((m) => (
          <option key={m} value={m}>
            {personName(m)}
            {m === own ? " (me)" : ""}
          </option>
        ))}
      </select>
    </Field>
  );
}
