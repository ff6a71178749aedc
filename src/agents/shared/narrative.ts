/**
 * Number grounding for generated narratives: every number a model writes must come from the data it was
 * given. A rep acts on these texts, so an invented figure ("ARR fell 40%") is worse than no narrative; the
 * llm port retries once on a problem and then falls back to the template. Reused by every agent that narrates
 * (CSM, TAM, Sales, QBR).
 */

export interface WrittenNumber {
  /** As written, e.g. "$120,000", "62%", "1.2M". */
  raw: string;
  /** The magnitude it denotes (signs are ignored: "-4.2 points" and "fell 4.2 points" say the same). */
  value: number;
  /** Half a unit of the last written digit: "45" stands for 44.5..45.5, "1.2M" for 1.15M..1.25M. */
  tolerance: number;
  percent: boolean;
}

// A digit run with optional thousands separators and decimals, then an optional k/M/bn or % suffix.
// Letters glued before it (Q3, acc_0001) still yield the digits: the same rule reads the inputs.
const NUMBER = /(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s?(%|k\b|K\b|M\b|bn\b)?/g;

const MULTIPLIER: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, bn: 1e9 };

/** The numbers written in a text, in order. */
export function extractNumbers(text: string): WrittenNumber[] {
  const out: WrittenNumber[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const [raw, whole, fraction, suffix] = m;
    const decimals = fraction ? fraction.length - 1 : 0;
    const base = Number((whole ?? "").replaceAll(",", "") + (fraction ?? ""));
    const mult = suffix && suffix !== "%" ? (MULTIPLIER[suffix] ?? 1) : 1;
    out.push({
      raw: raw.trim(),
      value: base * mult,
      tolerance: (10 ** -decimals / 2) * mult,
      percent: suffix === "%",
    });
  }
  return out;
}

/** Every number in a value: numbers themselves, and the digits in strings (dates, labels), recursively. */
export function collectNumbers(input: unknown, into: number[] = []): number[] {
  if (typeof input === "number") {
    if (Number.isFinite(input)) into.push(Math.abs(input));
  } else if (typeof input === "string") {
    for (const n of extractNumbers(input)) into.push(n.value);
  } else if (Array.isArray(input)) {
    for (const item of input) collectNumbers(item, into);
  } else if (typeof input === "object" && input !== null) {
    for (const v of Object.values(input)) collectNumbers(v, into);
  }
  return into;
}

function grounded(n: WrittenNumber, known: readonly number[]): boolean {
  // A little slack over half a unit absorbs float noise (0.1 + 0.2) without admitting a different figure.
  const tol = n.tolerance * 1.0001 + 1e-9;
  return known.some(
    (k) => Math.abs(n.value - k) <= tol || (n.percent && k <= 1 && Math.abs(n.value - k * 100) <= tol),
  );
}

/** The numbers in `text` that no input supports (empty when the text is grounded). */
export function ungroundedNumbers(text: string, inputs: unknown): string[] {
  const known = collectNumbers(inputs);
  return extractNumbers(text)
    .filter((n) => !grounded(n, known))
    .map((n) => n.raw);
}

/**
 * A `validate` for LlmPort.generate: null when every number in the output's texts appears in the inputs,
 * else the problem, stated so the model's one retry can fix it.
 */
export function numberGroundingValidator<T>(
  inputs: unknown,
  texts: (output: T) => string[],
): (output: T) => string | null {
  const known = collectNumbers(inputs);
  return (output) => {
    const bad = texts(output).flatMap((t) =>
      extractNumbers(t)
        .filter((n) => !grounded(n, known))
        .map((n) => n.raw),
    );
    if (bad.length === 0) return null;
    const unique = [...new Set(bad)];
    return `these numbers do not appear in the data: ${unique.join(", ")}; use only figures given in the data`;
  };
}
