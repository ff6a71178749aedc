/**
 * Calls in progress by idempotency key. The store's idempotency check runs before a call marks its key,
 * so two concurrent calls with one key would both pass it: the second waits for the first instead and
 * gets its answer, marked as not created.
 */
export class InFlight<R extends { created: boolean }> {
  private readonly calls = new Map<string, Promise<R>>();

  async run(key: string, call: () => Promise<R>): Promise<R> {
    const pending = this.calls.get(key);
    if (pending) return { ...(await pending), created: false };
    const p = call();
    this.calls.set(key, p);
    try {
      return await p;
    } finally {
      this.calls.delete(key);
    }
  }
}
