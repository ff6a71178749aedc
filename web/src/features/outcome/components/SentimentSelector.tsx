import { FieldGroup } from "../../../components/ui";
import type { Sentiment } from "../../../types/api";

const SENTIMENTS: { value: Sentiment; label: string }[] = [
  { value: "positive", label: "Positive" },
  { value: "neutral", label: "Neutral" },
  { value: "frustrated", label: "Frustrated" },
  { value: "angry", label: "Angry" },
];

/** How the customer felt on the call. */
export function SentimentSelector({
  value,
  onChange,
}: {
  value: Sentiment | null;
  onChange: (s: Sentiment | null) => void;
}) {
  return (
    <FieldGroup legend="Customer sentiment">
      {SENTIMENTS.map((s) => (
        <label key={s.value} className="choice">
          <input
            type="radio"
            name="sentiment"
            checked={value === s.value}
            onChange={() => onChange(s.value)}
          />
          {s.label}
        </label>
      ))}
    </FieldGroup>
  );
}
