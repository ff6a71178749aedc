import type { Comparison, ComparisonOp, Condition } from "./ast.js";

/**
 * The small condition language: a text form of the structured conditions, for people who would rather
 * type `health_score < 60 and not response_received` than nest JSON. It is parsed here, by a tokenizer
 * and a recursive-descent parser, into the same structured Condition (comparisons joined by all/any/not)
 * that is stored and evaluated; nothing is ever evaluated as code. formatCondition writes any Condition
 * back in this syntax, and parsing what it writes gives the same Condition back.
 *
 *   expr       := or
 *   or         := and ("or" and)*
 *   and        := unary ("and" unary)*
 *   unary      := "not" unary | "(" or ")" | comparison
 *   comparison := fact ( ("==" | "!=" | "<" | "<=" | ">" | ">=" | "contains") value
 *                      | "in" list | "not" "in" list | "exists" | <nothing: fact == true> )
 *   list       := "[" value ("," value)* "]"
 *   value      := number | "string" | 'string' | true | false | null
 *   fact       := name ("." name)*          e.g. health_score, account.tier
 */

export class ExpressionError extends Error {
  constructor(
    message: string,
    /** Offset in the source where the problem is. */
    readonly position: number,
  ) {
    super(`${message} (at character ${position + 1})`);
  }
}

type Scalar = string | number | boolean | null;

type Token =
  | { kind: "punct"; value: "(" | ")" | "[" | "]" | ","; at: number }
  | { kind: "op"; value: "==" | "!=" | "<" | "<=" | ">" | ">="; at: number }
  | { kind: "word"; value: string; at: number }
  | { kind: "literal"; value: Scalar; at: number }
  | { kind: "end"; at: number };

const KEYWORDS = new Set(["and", "or", "not", "in", "exists", "contains", "true", "false", "null"]);
const WORD = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const DOUBLE_QUOTED = /"(?:[^"\\\n]|\\.)*"/y;
const SINGLE_QUOTED = /'(?:[^'\\\n]|\\.)*'/y;

function match(re: RegExp, src: string, at: number): string | null {
  re.lastIndex = at;
  const m = re.exec(src);
  return m ? m[0] : null;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === ")" || c === "[" || c === "]" || c === ",") {
      out.push({ kind: "punct", value: c, at: i });
      i++;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (two === "==" || two === "!=" || two === "<=" || two === ">=") {
      out.push({ kind: "op", value: two, at: i });
      i += 2;
      continue;
    }
    if (c === "<" || c === ">") {
      out.push({ kind: "op", value: c, at: i });
      i++;
      continue;
    }
    if (c === "=") throw new ExpressionError('use "==" to compare', i);
    const num = match(NUMBER, src, i);
    if (num !== null) {
      out.push({ kind: "literal", value: Number(num), at: i });
      i += num.length;
      continue;
    }
    if (c === '"' || c === "'") {
      const raw = match(c === '"' ? DOUBLE_QUOTED : SINGLE_QUOTED, src, i);
      if (raw === null) throw new ExpressionError("unterminated string", i);
      const body = raw.slice(1, -1);
      let value: string;
      try {
        // Single-quoted strings use the same escapes as double-quoted ones, plus \'.
        value = JSON.parse(`"${c === "'" ? body.replace(/\\'/g, "'").replace(/"/g, '\\"') : body}"`);
      } catch {
        throw new ExpressionError("invalid escape in string", i);
      }
      out.push({ kind: "literal", value, at: i });
      i += raw.length;
      continue;
    }
    const raw = match(WORD, src, i);
    if (raw !== null) {
      // Keywords in any case (AND, Not, TRUE); fact names as written.
      const word = KEYWORDS.has(raw.toLowerCase()) ? raw.toLowerCase() : raw;
      if (word === "true" || word === "false") out.push({ kind: "literal", value: word === "true", at: i });
      else if (word === "null") out.push({ kind: "literal", value: null, at: i });
      else out.push({ kind: "word", value: word, at: i });
      i += raw.length;
      continue;
    }
    throw new ExpressionError(`unexpected "${c}"`, i);
  }
  out.push({ kind: "end", at: src.length });
  return out;
}

const OPS: Record<string, ComparisonOp> = {
  "==": "eq",
  "!=": "neq",
  "<": "lt",
  "<=": "lte",
  ">": "gt",
  ">=": "gte",
};

/** Parse an expression into a structured Condition; throws ExpressionError naming where it went wrong. */
export function parseExpression(src: string): Condition {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const next = () => tokens[pos++]!;
  const isWord = (t: Token, w: string) => t.kind === "word" && t.value === w;
  const isPunct = (t: Token, p: string) => t.kind === "punct" && t.value === p;
  const describe = (t: Token) =>
    t.kind === "end" ? "the end" : `"${t.kind === "literal" ? JSON.stringify(t.value) : t.value}"`;
  const expect = (kind: "punct", value: string) => {
    const t = next();
    if (t.kind !== kind || t.value !== value) throw new ExpressionError(`expected "${value}"`, t.at);
  };
  const depth = { now: 0 };

  const value = (): Scalar => {
    const t = next();
    if (t.kind !== "literal") throw new ExpressionError(`expected a value, found ${describe(t)}`, t.at);
    return t.value;
  };
  const list = (): Scalar[] => {
    expect("punct", "[");
    const items = [value()];
    while (isPunct(peek(), ",")) {
      next();
      items.push(value());
    }
    expect("punct", "]");
    return items;
  };

  const comparison = (): Comparison => {
    const t = next();
    if (t.kind !== "word" || KEYWORDS.has(t.value))
      throw new ExpressionError(`expected a fact name, found ${describe(t)}`, t.at);
    const fact = t.value;
    const op = peek();
    if (op.kind === "op") {
      next();
      return { fact, op: OPS[op.value]!, value: value() };
    }
    if (isWord(op, "contains")) {
      next();
      return { fact, op: "contains", value: value() };
    }
    if (isWord(op, "in")) {
      next();
      return { fact, op: "in", value: list() };
    }
    if (isWord(op, "not") && isWord(tokens[pos + 1]!, "in")) {
      pos += 2;
      return { fact, op: "not_in", value: list() };
    }
    if (isWord(op, "exists")) {
      next();
      return { fact, op: "exists" };
    }
    // A fact on its own is a flag: `response_received` reads as `response_received == true`.
    return { fact, op: "eq", value: true };
  };

  const unary = (): Condition => {
    const t = peek();
    if (isWord(t, "not")) {
      next();
      return { not: unary() };
    }
    if (isPunct(t, "(")) {
      next();
      if (++depth.now > 10) throw new ExpressionError("too deeply nested", t.at);
      const inner = or();
      depth.now--;
      expect("punct", ")");
      return inner;
    }
    return comparison();
  };
  const and = (): Condition => {
    const parts = [unary()];
    while (isWord(peek(), "and")) {
      next();
      parts.push(unary());
    }
    return parts.length === 1 ? parts[0]! : { all: parts };
  };
  const or = (): Condition => {
    const parts = [and()];
    while (isWord(peek(), "or")) {
      next();
      parts.push(and());
    }
    return parts.length === 1 ? parts[0]! : { any: parts };
  };

  const result = or();
  const rest = peek();
  if (rest.kind !== "end") throw new ExpressionError(`unexpected ${describe(rest)}`, rest.at);
  return result;
}

const SYMBOLS: Partial<Record<ComparisonOp, string>> = {
  eq: "==",
  neq: "!=",
  lt: "<",
  lte: "<=",
  gt: ">",
  gte: ">=",
  contains: "contains",
};

const literal = (v: unknown): string => (typeof v === "string" ? JSON.stringify(v) : String(v));

/** A Condition in the expression syntax (what previews and step descriptions show). */
export function formatCondition(c: Condition, nested = false): string {
  const wrap = (s: string) => (nested ? `(${s})` : s);
  if ("all" in c) return wrap(c.all.map((x) => formatCondition(x, true)).join(" and "));
  if ("any" in c) return wrap(c.any.map((x) => formatCondition(x, true)).join(" or "));
  if ("not" in c) return `not (${formatCondition(c.not)})`;
  if (c.op === "exists") return `${c.fact} exists`;
  if (c.op === "in" || c.op === "not_in") {
    const items = (Array.isArray(c.value) ? c.value : [c.value]).map(literal).join(", ");
    return `${c.fact} ${c.op === "in" ? "in" : "not in"} [${items}]`;
  }
  return `${c.fact} ${SYMBOLS[c.op]} ${literal(c.value)}`;
}
