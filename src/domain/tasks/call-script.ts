/**
 * A call playbook's scripts with the customer's values in place of their `[name]`-style placeholders.
 * What no record holds (`[small commitment]`, `[consequence of delay]`) stays a placeholder: it is the
 * CSM's own words to find, and a client shows it as such rather than as text to read out. Pure.
 */

export type ScriptPart = { text: string } | { placeholder: string };

export interface FilledScript {
  /** The script with every known value filled in (unknown placeholders kept in brackets). */
  text: string;
  /** The same, as text and the placeholders left for the CSM. */
  parts: ScriptPart[];
  /** The placeholders no value was known for, in order of appearance. */
  unfilled: string[];
}

const PLACEHOLDER = /\[([^[\]]+)\]/g;

/** Placeholders are looked up by their lower-cased name with spaces as underscores ("Missing step"). */
export const placeholderKey = (name: string): string => name.trim().toLowerCase().replace(/\s+/g, "_");

export function fillScript(
  template: string,
  values: Readonly<Record<string, string | null | undefined>>,
): FilledScript {
  const parts: ScriptPart[] = [];
  const unfilled: string[] = [];
  let last = 0;
  let text = "";
  const pushText = (t: string) => {
    if (t === "") return;
    text += t;
    const prev = parts[parts.length - 1];
    if (prev && "text" in prev) prev.text += t;
    else parts.push({ text: t });
  };
  for (const m of template.matchAll(PLACEHOLDER)) {
    pushText(template.slice(last, m.index));
    const name = m[1]!;
    const value = values[placeholderKey(name)];
    if (value !== undefined && value !== null && value !== "") pushText(value);
    else {
      parts.push({ placeholder: name });
      unfilled.push(name);
      text += m[0];
    }
    last = m.index + m[0].length;
  }
  pushText(template.slice(last));
  return { text, parts, unfilled };
}
