import { z } from "zod";
import { badRequest } from "../../errors.js";
import { EVENT_TYPES, type EventType, isEventType } from "../../events/catalogue.js";
import { requireScope } from "../auth.js";
import type { AppDeps, RouteModule } from "../route.js";
import { streamEvents } from "../stream.js";

const parseTypes = (raw: string | undefined): EventType[] | undefined => {
  if (!raw) return undefined;
  const types = raw
    .split(",")
    .map((t) => t.trim())
    .filter(Boolean);
  const unknown = types.filter((t) => !isEventType(t));
  if (unknown.length > 0) {
    throw badRequest(`unknown event type ${unknown.join(", ")}`, { known_types: EVENT_TYPES });
  }
  return types as EventType[];
};

const query = z.strictObject({
  since: z.coerce.number().int().min(0).default(0).describe("return events with seq greater than this"),
  types: z.string().optional().describe("comma-separated event types"),
  account_id: z.string().optional(),
  run_id: z.string().optional(),
});

/** The stream may also start at the log's end: `since=latest` sends only what happens from now on. */
const streamQuery = query.extend({
  since: z
    .union([z.literal("latest"), z.coerce.number().int().min(0)])
    .default(0)
    .describe("send events with seq greater than this; latest: only events from now on"),
});

export const eventRoutes: RouteModule<Pick<AppDeps, "bus">> = (app, deps) => {
  app.get(
    "/v1/events",
    {
      preHandler: requireScope("read"),
      schema: {
        tags: ["events"],
        summary: "The durable event log, by seq",
        querystring: query.extend({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      },
    },
    async (req) => {
      const types = parseTypes(req.query.types);
      const events = await deps.bus.replay({
        since: req.query.since,
        ...(types ? { types } : {}),
        ...(req.query.account_id ? { account_id: req.query.account_id } : {}),
        ...(req.query.run_id ? { run_id: req.query.run_id } : {}),
        limit: req.query.limit,
      });
      const lastEvent = events[events.length - 1];
      return { events, next_since: lastEvent ? lastEvent.seq : req.query.since };
    },
  );

  app.get(
    "/v1/events/stream",
    {
      websocket: true,
      preHandler: requireScope("read"),
      schema: {
        tags: ["events"],
        summary: "WebSocket: events after ?since=, then live ones; reconnect with since=<last seq> to resume",
        querystring: streamQuery,
      },
    },
    async (socket, req) => {
      const q = req.query as z.infer<typeof streamQuery>;
      let types: EventType[] | undefined;
      try {
        types = parseTypes(q.types);
      } catch (err) {
        socket.close(4400, err instanceof Error ? err.message.slice(0, 120) : "bad request");
        return;
      }
      // Read before subscribing: an event published in between is still replayed, never lost.
      const since = q.since === "latest" ? await deps.bus.lastSeq() : q.since;
      if (socket.readyState !== socket.OPEN) return;
      streamEvents(
        socket,
        deps.bus,
        {
          ...(types ? { types } : {}),
          ...(q.account_id ? { account_id: q.account_id } : {}),
          ...(q.run_id ? { run_id: q.run_id } : {}),
        },
        since,
      );
    },
  );
};
