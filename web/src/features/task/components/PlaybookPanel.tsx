import { Card } from "../../../components/ui";
import type { TaskDetail } from "../../../types/api";
import { ObjectionHandlers } from "./ObjectionHandlers";
import { ScriptText } from "./ScriptText";

/** The call playbook: objective, opening script in the customer's words, key questions, objections, success criteria. */
export function PlaybookPanel({ detail }: { detail: TaskDetail }) {
  const pb = detail.playbook;
  if (!pb) return <Card title="Call playbook">This task type has no call playbook.</Card>;
  const plain = (text: string) => ({ text, parts: [{ text }], unfilled: [] });
  const opening = detail.script?.opening_script ?? plain(pb.opening_script);
  const handlers =
    detail.script?.objection_handlers ??
    pb.objection_handlers.map((h) => ({
      id: h.id,
      trigger: h.trigger,
      response: { text: h.response, parts: [{ text: h.response }], unfilled: [] },
    }));
  return (
    <Card title="Call playbook" className="playbook">
      <p className="playbook-name">
        {pb.name} · about {pb.estimated_duration_minutes} minutes
      </p>
      <h3>Objective</h3>
      <p>
        <ScriptText script={detail.script?.objective ?? plain(pb.objective)} />
      </p>
      <h3>Opening script</h3>
      <blockquote className="script">
        <ScriptText script={opening} />
      </blockquote>
      <h3>Key questions</h3>
      <ol>
        {pb.key_questions.map((q) => (
          <li key={q}>{q}</li>
        ))}
      </ol>
      <ObjectionHandlers handlers={handlers} />
      <h3>Success criteria</h3>
      <p>
        <ScriptText script={detail.script?.success_criteria ?? plain(pb.success_criteria)} />
      </p>
    </Card>
  );
}
