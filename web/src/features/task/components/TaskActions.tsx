import { type FormEvent, useState } from "react";
import { Button, Field } from "../../../components/ui";
import { localIsoDate } from "../../../lib/format";
import type { TaskAction } from "../../../types/api";

type FormAction = "snooze" | "reschedule" | "escalate" | "block" | "cancel";

const LABEL: Record<Exclude<TaskAction, "complete">, string> = {
  start: "Start",
  snooze: "Snooze",
  reschedule: "Reschedule",
  escalate: "Escalate",
  block: "Block",
  cancel: "Cancel",
};

/** The actions the task's state allows (the API's allowed_actions); those needing details open a short form. */
export function TaskActions({
  allowed,
  busy,
  onAction,
}: {
  allowed: TaskAction[];
  busy: boolean;
  onAction: (action: Exclude<TaskAction, "complete">, body?: Record<string, unknown>) => void;
}) {
  const [open, setOpen] = useState<FormAction | null>(null);
  const actions = allowed.filter((a): a is Exclude<TaskAction, "complete"> => a !== "complete");
  if (actions.length === 0) return null;
  return (
    <section aria-label="Task actions" className="actions">
      <div className="action-row">
        {actions.map((a) =>
          a === "start" ? (
            <Button key={a} variant="primary" busy={busy} onClick={() => onAction("start")}>
              {LABEL[a]}
            </Button>
          ) : (
            <Button key={a} aria-expanded={open === a} onClick={() => setOpen(open === a ? null : a)}>
              {LABEL[a]}
            </Button>
          ),
        )}
      </div>
      {open ? (
        <ActionForm
          action={open}
          busy={busy}
          onCancel={() => setOpen(null)}
          onSubmit={(body) => {
            onAction(open, body);
            setOpen(null);
          }}
        />
      ) : null}
    </section>
  );
}

function ActionForm({
  action,
  busy,
  onSubmit,
  onCancel,
}: {
  action: FormAction;
  busy: boolean;
  onSubmit: (body: Record<string, unknown>) => void;
  onCancel: () => void;
}) {
  const tomorrow = localIsoDate(new Date(Date.now() + 86_400_000));
  const [date, setDate] = useState(tomorrow);
  const [reason, setReason] = useState("");
  const [to, setTo] = useState("");
  const [error, setError] = useState<string | undefined>();
  const needsDate = action === "snooze" || action === "reschedule";
  const reasonRequired = action !== "snooze";

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (reasonRequired && !reason.trim()) {
      setError("Give a reason.");
      return;
    }
    // A local date means the start of that day where the CSM is.
    const at = new Date(`${date}T09:00:00`).toISOString();
    const body: Record<string, unknown> =
      action === "snooze"
        ? { snooze_until: at, ...(reason.trim() ? { reason: reason.trim() } : {}) }
        : action === "reschedule"
          ? { new_due_date: at, reason: reason.trim() }
          : action === "escalate"
            ? { reason: reason.trim(), ...(to.trim() ? { escalate_to: to.trim() } : {}) }
            : { reason: reason.trim() };
    onSubmit(body);
  };
  return (
    <form className="action-form" aria-label={`${LABEL[action]} task`} onSubmit={submit}>
      {needsDate ? (
        <Field label={action === "snooze" ? "Snooze until" : "New due date"}>
          <input
            type="date"
            value={date}
            min={localIsoDate(new Date())}
            onChange={(e) => setDate(e.target.value)}
          />
        </Field>
      ) : null}
      <Field label={action === "block" ? "Blocker" : "Reason"} required={reasonRequired} error={error}>
        <input type="text" value={reason} onChange={(e) => setReason(e.target.value)} />
      </Field>
      {action === "escalate" ? (
        <Field label="Escalate to">
          <input type="text" value={to} onChange={(e) => setTo(e.target.value)} placeholder="name or email" />
        </Field>
      ) : null}
      <div className="action-row">
        <Button
          type="submit"
          variant={action === "cancel" || action === "block" ? "danger" : "primary"}
          busy={busy}
        >
          Confirm {LABEL[action].toLowerCase()}
        </Button>
        <Button variant="ghost" onClick={onCancel}>
          Back
        </Button>
      </div>
    </form>
  );
}
