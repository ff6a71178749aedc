import { type FormEvent, useState } from "react";
import { Button, Field, FieldGroup } from "../../../components/ui";
import { ApiError } from "../../../lib/api-client";
import type {
  Channel,
  CompletionOutcomeType,
  ObjectiveAchieved,
  QualityGate,
  Sentiment,
} from "../../../types/api";
import { type CompletionBody, fieldErrors } from "../api/complete";
import { NextActionForm } from "./NextActionForm";
import { QualityGateChecklist } from "./QualityGateChecklist";
import { SentimentSelector } from "./SentimentSelector";

const OUTCOME_TYPES: { value: CompletionOutcomeType; label: string }[] = [
  { value: "connected", label: "Connected" },
  { value: "completed", label: "Completed" },
  { value: "voicemail", label: "Voicemail" },
  { value: "no_answer", label: "No answer" },
];

/**
 * Captures a task's outcome. Nothing is checked here that the API checks: the API's 422 names each
 * missing or invalid gate, and each problem is shown beside its field; nothing is saved until it passes.
 */
export function OutcomeForm({
  gates,
  submitting,
  error,
  onSubmit,
}: {
  gates: QualityGate[];
  submitting: boolean;
  error: unknown;
  onSubmit: (body: CompletionBody) => void;
}) {
  const [outcomeType, setOutcomeType] = useState<CompletionOutcomeType>("connected");
  const [objective, setObjective] = useState<ObjectiveAchieved | "">("");
  const [sentiment, setSentiment] = useState<Sentiment | null>(null);
  const [channel, setChannel] = useState<Channel>("call");
  const [gateValues, setGateValues] = useState<Record<string, unknown>>({});
  const [notes, setNotes] = useState("");
  const [next, setNext] = useState({ notes: "", date: "" });
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});

  const apiErrors = error instanceof ApiError ? fieldErrors(error.details) : {};
  const errors = { ...apiErrors, ...localErrors };
  const summary =
    error instanceof ApiError
      ? error.code === "quality_gates_failed"
        ? "Some quality gates need an answer. Nothing was saved."
        : error.message
      : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (objective === "") {
      setLocalErrors({ objective_achieved: "Say whether the objective was achieved." });
      return;
    }
    setLocalErrors({});
    const answered = Object.fromEntries(
      Object.entries(gateValues).filter(([, v]) => v !== undefined && v !== ""),
    );
    onSubmit({
      outcome_type: outcomeType,
      objective_achieved: objective,
      sentiment,
      channel,
      quality_gates: answered,
      notes,
      next_action: next.notes.trim() ? { notes: next.notes.trim(), date: next.date || null } : null,
    });
  };

  return (
    <form className="card outcome-form" aria-labelledby="outcome-heading" onSubmit={submit} noValidate>
      <h2 id="outcome-heading">Outcome</h2>
      {summary ? (
        <p className="form-error" role="alert">
          {summary}
        </p>
      ) : null}
      <Field label="Outcome type" error={errors["outcome_type"]}>
        <select value={outcomeType} onChange={(e) => setOutcomeType(e.target.value as CompletionOutcomeType)}>
          {OUTCOME_TYPES.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </Field>
      <FieldGroup legend="Objective achieved" required error={errors["objective_achieved"]}>
        {(["yes", "partial", "no"] as const).map((v) => (
          <label key={v} className="choice">
            <input type="radio" name="objective" checked={objective === v} onChange={() => setObjective(v)} />
            {v === "yes" ? "Yes" : v === "partial" ? "Partly" : "No"}
          </label>
        ))}
      </FieldGroup>
      <SentimentSelector value={sentiment} onChange={setSentiment} />
      <Field label="Channel">
        <select value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
          <option value="call">Call</option>
          <option value="email">Email</option>
          <option value="meeting">Meeting</option>
          <option value="other">Other</option>
        </select>
      </Field>
      <QualityGateChecklist
        gates={gates}
        values={gateValues}
        errors={errors}
        onChange={(id, v) => setGateValues((all) => ({ ...all, [id]: v }))}
      />
      <Field label="Notes" error={errors["notes"]}>
        <textarea rows={3} value={notes} onChange={(e) => setNotes(e.target.value)} />
      </Field>
      <NextActionForm
        notes={next.notes}
        date={next.date}
        errors={errors}
        onChange={(n) => setNext((all) => ({ ...all, ...n }))}
      />
      <Button type="submit" variant="primary" busy={submitting}>
        Complete
      </Button>
    </form>
  );
}
