import Handlebars from "handlebars";
import { errorMessage } from "../../errors.js";
import { longDate, type RenderContext, VARIABLE_NAMES } from "./variables.js";

/**
 * Handlebars for playbook content, in its own environment with a closed set of helpers. Templates are
 * checked at publish (checkTemplate) for unknown variables, helpers and constructs; rendering then runs
 * in strict mode, so a missing variable is an error rather than a silent blank.
 */

const hb = Handlebars.create();
const USD = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

const HELPERS: Record<string, (...args: unknown[]) => unknown> = {
  /** {{format_date customer.renewal_date}} -> "June 30, 2026" */
  format_date: (value) => (typeof value === "string" ? longDate(value) : ""),
  /** {{currency customer.arr}} -> "$120,000" */
  currency: (value) => (typeof value === "number" ? USD.format(value) : ""),
  /** {{percent customer.feature_adoption}} -> "45%" */
  percent: (value) => (typeof value === "number" ? `${Math.round(value * 100)}%` : ""),
  /** {{default customer.champion "there"}} */
  default: (value, fallback) => (value === null || value === undefined || value === "" ? fallback : value),
};
for (const [name, fn] of Object.entries(HELPERS)) hb.registerHelper(name, fn as Handlebars.HelperDelegate);

export const HELPER_NAMES: readonly string[] = Object.keys(HELPERS);
const BLOCK_HELPERS = new Set(["if", "unless"]);
const KNOWN_HELPERS = Object.fromEntries([...HELPER_NAMES, ...BLOCK_HELPERS].map((h) => [h, true]));

export interface TemplateProblem {
  message: string;
}

/** Every problem of one template: syntax, unknown variables, unknown helpers, forbidden constructs. */
export function checkTemplate(source: string): TemplateProblem[] {
  let ast: hbs.AST.Program;
  try {
    ast = hb.parse(source);
  } catch (err) {
    return [{ message: `template syntax: ${errorMessage(err).split("\n")[0]}` }];
  }
  const problems: TemplateProblem[] = [];
  const seen = new Set<string>();
  const add = (message: string) => {
    if (!seen.has(message)) problems.push({ message });
    seen.add(message);
  };

  const checkPath = (p: hbs.AST.PathExpression) => {
    if (p.data) return add(`@-variables are not allowed ({{${p.original}}})`);
    if (p.depth > 0 || p.original.startsWith("this") || p.original.startsWith("."))
      return add(`relative paths are not allowed ({{${p.original}}})`);
    if (!VARIABLE_NAMES.has(p.original)) add(`unknown variable {{${p.original}}}`);
  };
  const checkExpr = (e: hbs.AST.Expression) => {
    if (e.type === "PathExpression") checkPath(e as hbs.AST.PathExpression);
    else if (e.type === "SubExpression") checkCall(e as hbs.AST.SubExpression);
  };
  const checkCall = (c: {
    path: hbs.AST.PathExpression;
    params: hbs.AST.Expression[];
    hash?: hbs.AST.Hash;
  }) => {
    if (!HELPER_NAMES.includes(c.path.original)) add(`unknown helper "${c.path.original}"`);
    for (const p of c.params) checkExpr(p);
    for (const pair of c.hash?.pairs ?? []) checkExpr(pair.value);
  };
  const walk = (program: hbs.AST.Program | undefined) => {
    for (const node of program?.body ?? []) {
      switch (node.type) {
        case "ContentStatement":
        case "CommentStatement":
          break;
        case "MustacheStatement": {
          const m = node as hbs.AST.MustacheStatement;
          if (m.path.type !== "PathExpression") {
            add("a literal cannot stand alone in {{ }}");
            break;
          }
          const path = m.path as hbs.AST.PathExpression;
          if (m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0) checkCall({ ...m, path });
          else if (!HELPER_NAMES.includes(path.original)) checkPath(path);
          break;
        }
        case "BlockStatement": {
          const b = node as hbs.AST.BlockStatement;
          if (!BLOCK_HELPERS.has(b.path.original)) {
            add(`block {{#${b.path.original}}} is not allowed (only #if and #unless)`);
            break;
          }
          if (b.params.length !== 1) add(`{{#${b.path.original}}} takes exactly one value`);
          for (const p of b.params) checkExpr(p);
          walk(b.program);
          walk(b.inverse);
          break;
        }
        default:
          add(`${node.type.replace("Statement", "").toLowerCase()} is not allowed in playbook templates`);
      }
    }
  };
  walk(ast);
  return problems;
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** Render as plain text (no escaping): subjects, text bodies, notes, agent task fields. */
export function renderText(source: string, context: RenderContext): string {
  const key = source;
  let fn = compiled.get(key);
  if (!fn) {
    fn = hb.compile(source, {
      noEscape: true,
      strict: true,
      knownHelpers: KNOWN_HELPERS,
      knownHelpersOnly: true,
    });
    if (compiled.size > 500) compiled.clear();
    compiled.set(key, fn);
  }
  return fn(context);
}

/** A subject line: one line, no control characters (a newline in a header would inject another). */
export const renderSubject = (source: string, context: RenderContext): string =>
  renderText(source, context)
    .replace(/\s+/g, " ")
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
    .replace(/[\u0000-\u001f\u007f]/g, "")
    .trim();

/**
 * The HTML part of an email from its rendered text: every character of it is escaped (variables and
 * the author's text alike, so a customer named `<b>` stays text), then paragraphs and line breaks.
 */
export function textToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((para) => para.trim())
    .filter((para) => para.length > 0)
    .map((para) => `<p>${para.split("\n").map(hb.escapeExpression).join("<br>\n")}</p>`)
    .join("\n");
}

export const escapeHtml = (s: string): string => hb.escapeExpression(s);
