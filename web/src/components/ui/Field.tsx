import { cloneElement, type ReactElement, useId } from "react";

/**
 * A labelled form control with its hint and error beside it: the control gets the label, aria-invalid
 * and aria-describedby, so the problem is read out with the field.
 */
export function Field({
  label,
  error,
  hint,
  required,
  children,
}: {
  label: string;
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  children: ReactElement<Record<string, unknown>>;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field ${error ? "field-invalid" : ""}`}>
      <label htmlFor={id}>
        {label}
        {required ? <span className="required"> (required)</span> : null}
      </label>
      {cloneElement(children, {
        id,
        "aria-invalid": error ? true : undefined,
        "aria-describedby": describedBy,
        "aria-required": required || undefined,
      })}
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A set of radio buttons (a yes/no toggle, a rating, a choice) under one legend, with its error beside
 * it. The options form a radiogroup named by the legend, so the question labels the control itself.
 */
export function FieldGroup({
  legend,
  error,
  required,
  children,
}: {
  legend: string;
  error?: string | undefined;
  required?: boolean;
  children: React.ReactNode;
}) {
  const id = useId();
  return (
    <fieldset className={`field field-group ${error ? "field-invalid" : ""}`}>
      <legend id={`${id}-legend`}>
        {legend}
        {required ? <span className="required"> (required)</span> : null}
      </legend>
      <div
        className="field-group-options"
        role="radiogroup"
        aria-labelledby={`${id}-legend`}
        aria-required={required || undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {children}
      </div>
      {error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
