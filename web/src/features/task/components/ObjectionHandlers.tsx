import type { FilledScript } from "../../../types/api";
import { ScriptText } from "./ScriptText";

/** What the customer might say, each opening to the response (native disclosure: keyboard and screen readers work). */
export function ObjectionHandlers({
  handlers,
}: {
  handlers: { id: string; trigger: string; response: FilledScript }[];
}) {
  if (handlers.length === 0) return null;
  return (
    <section aria-labelledby="objections-heading" className="objections">
      <h3 id="objections-heading">Objection handlers</h3>
      {handlers.map((h) => (
        <details key={h.id}>
          <summary>“{h.trigger}”</summary>
          <p>
            <ScriptText script={h.response} />
          </p>
        </details>
      ))}
    </section>
  );
}
