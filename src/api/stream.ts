import type { WebSocket } from "ws";
import type { EventBus, SubscribeFilter } from "../events/bus.js";
import type { BusEvent, EventType } from "../events/catalogue.js";

/**
 * Send every event matching `filter` with seq > since, then live ones, each exactly once and in order:
 * subscribe first (buffering), replay from the log until caught up, then flush the buffer past the
 * last seq sent. `until` closes the stream after a matching event (e.g. run.finished).
 */
export function streamEvents(
  socket: WebSocket,
  bus: EventBus,
  filter: SubscribeFilter,
  since: number,
  opts: { until?: (e: BusEvent) => boolean; before?: () => Promise<unknown> } = {},
): void {
  let last = since;
  let live = false;
  let closed = false;
  const buffer: BusEvent[] = [];
  const send = (e: BusEvent) => {
    if (closed || e.seq <= last) return;
    last = e.seq;
    socket.send(JSON.stringify({ kind: "event", event: e }));
    if (opts.until?.(e)) {
      closed = true;
      socket.close(1000, "done");
    }
  };
  const unsubscribe = bus.subscribe(filter, (e) => {
    if (live) send(e);
    else buffer.push(e);
  });
  socket.on("close", () => {
    closed = true;
    unsubscribe();
  });
  socket.on("message", () => {
    // The stream is one-way; clients have nothing to say.
  });
  void (async () => {
    try {
      if (opts.before) socket.send(JSON.stringify(await opts.before()));
      for (;;) {
        const page = await bus.replay({
          since: last,
          ...(filter.types ? { types: filter.types as EventType[] } : {}),
          ...(filter.account_id ? { account_id: filter.account_id } : {}),
          ...(filter.run_id ? { run_id: filter.run_id } : {}),
          limit: 500,
        });
        for (const e of page) send(e);
        if (page.length < 500 || closed) break;
      }
      live = true;
      for (const e of buffer.splice(0)) send(e);
    } catch (err) {
      if (!closed) socket.close(1011, err instanceof Error ? err.message.slice(0, 100) : "error");
    }
  })();
}
