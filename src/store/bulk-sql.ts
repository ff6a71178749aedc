/**
 * Statement texts for multi-row inserts, values as parameters only. Kysely's builder makes and compiles
 * a node per value, which on a 10,000-row batch costs about as much as SQLite's own work; these texts are
 * built once per table, columns and row count (and then prepared once by the store's statement cache).
 */
const texts = new Map<string, string>();

export function multiRowInsertText(
  table: string,
  columns: readonly string[],
  rows: number,
  opts: { orIgnore?: boolean; returning?: readonly string[] } = {},
): string {
  const returning =
    opts.returning && opts.returning.length > 0 ? ` returning ${opts.returning.join(", ")}` : "";
  const verb = opts.orIgnore ? "insert or ignore" : "insert";
  const key = `${verb} ${table}(${columns.join(",")})x${rows}${returning}`;
  let text = texts.get(key);
  if (text === undefined) {
    const tuple = `(${columns.map(() => "?").join(", ")})`;
    text = `${verb} into ${table} (${columns.join(", ")}) values ${Array(rows).fill(tuple).join(", ")}${returning}`;
    texts.set(key, text);
  }
  return text;
}
