/** `items` in consecutive slices of at most `size`: the batches an API or a SQL statement takes at once. */
export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
