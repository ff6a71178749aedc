/**
 * `fn` over `items` with at most `limit` calls in flight, results in the order of `items`. Notion calls
 * go through one limiter that sets the pace; a few in flight keep Notion's latency (hundreds of
 * milliseconds a call) from holding the rate below the limit.
 */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
