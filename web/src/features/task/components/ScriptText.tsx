import type { FilledScript } from "../../../types/api";

/** A script with the customer's values in; what no record holds is marked for the CSM to say in their own words. */
export function ScriptText({ script }: { script: FilledScript }) {
  return (
    <>
      {script.parts.map((p, i) =>
        "text" in p ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts are a fixed sequence
          <span key={i}>{p.text}</span>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts are a fixed sequence
          <mark key={i} className="placeholder" title="Not in the records: say it in your own words">
            {p.placeholder}
          </mark>
        ),
      )}
    </>
  );
}
