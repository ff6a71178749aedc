import { Field, FieldGroup } from "../../../components/ui";
import type { QualityGate } from "../../../types/api";

/** The task type's quality gates, each rendered by its type and labelled with its question. */
export function QualityGateChecklist({
  gates,
  values,
  errors,
  onChange,
}: {
  gates: QualityGate[];
  values: Record<string, unknown>;
  errors: Record<string, string>;
  onChange: (gateId: string, value: unknown) => void;
}) {
  const sorted = [...gates].sort((a, b) => a.order - b.order);
  return (
    <section aria-labelledby="gates-heading" className="gates">
      <h3 id="gates-heading">Quality gates</h3>
      {sorted.map((g) => {
        const error = errors[`gate:${g.id}`];
        const value = values[g.id];
        switch (g.gate_type) {
          case "boolean":
            return (
              <FieldGroup key={g.id} legend={g.question} required={g.required} error={error}>
                {[
                  ["Yes", true],
                  ["No", false],
                ].map(([label, v]) => (
                  <label key={String(label)} className="choice">
                    <input
                      type="radio"
                      name={`gate-${g.id}`}
                      checked={value === v}
                      onChange={() => onChange(g.id, v)}
                    />
                    {label}
                  </label>
                ))}
              </FieldGroup>
            );
          case "select":
            return (
              <Field key={g.id} label={g.question} required={g.required} error={error}>
                <select
                  value={typeof value === "string" ? value : ""}
                  onChange={(e) => onChange(g.id, e.target.value || undefined)}
                >
                  <option value="">Choose…</option>
                  {(g.options ?? []).map((o) => (
                    <option key={o} value={o}>
                      {o}
                    </option>
                  ))}
                </select>
              </Field>
            );
          case "rating":
            return (
              <FieldGroup key={g.id} legend={g.question} required={g.required} error={error}>
                {[1, 2, 3, 4, 5].map((n) => (
                  <label key={n} className="choice">
                    <input
                      type="radio"
                      name={`gate-${g.id}`}
                      checked={value === n}
                      onChange={() => onChange(g.id, n)}
                    />
                    {n}
                  </label>
                ))}
              </FieldGroup>
            );
          default:
            return (
              <Field key={g.id} label={g.question} required={g.required} error={error}>
                <textarea
                  rows={2}
                  value={typeof value === "string" ? value : ""}
                  onChange={(e) => onChange(g.id, e.target.value || undefined)}
                />
              </Field>
            );
        }
      })}
    </section>
  );
}
