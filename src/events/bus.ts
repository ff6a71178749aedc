import { randomUUID } from "node:crypto";
import { CompiledQuery, type Kysely } from "kysely";
import type { Clock } from "../clock.js";
import type { Logger } from "../logger.js";
import { multiRowInsertText } from "../store/bulk-sql.js";
import type { Database } from "../store/schema.js";
import { type BusEvent, EVENT_CATALOGUE, type EventPayload, type EventType } from "./catalogue.js";
import { DurableSubscribers, type Handler } from "./durable.js";
import { toEvent } from "./event-row.js";

export interface PublishInput<T extends EventType> {
  source: string;
  account_id?: string | null;
  run_id?: string | null;
  payload: EventPayload<T>;
}

/**
 * A UUID whose first 48 bits are the creation time in milliseconds (the UUIDv7 layout), the rest
 * random. The event log's unique index on id then takes new ids near its end, as it does seqs, instead
 * of at random places all over it: publishing a scan's 10,000 events dirties a few index pages, not
 * hundreds. The time part only orders ids roughly; `seq` is the order of the log.
 */
export function eventId(now = Date.now()): string {
  const time = now.toString(16).padStart(12, "0");
  // randomUUID(): xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx; keep its random tail and variant, set version 7.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}

/** One event of a publishMany batch, typed by its event type. */
export type PublishItem = { [T in EventType]: { type: T; input: PublishInput<T> } }[EventType];

export interface SubscribeFilter {
  types?: readonly EventType[];
  account_id?: string;
  run_id?: string;
}

export interface BusOptions {
  /** Waits between attempts of a durable handler; after the last one the event is dead-lettered. */
  retryDelaysMs?: number[];
}

const EVENT_COLUMNS = ["id", "type", "at", "source", "account_id", "run_id", "payload"] as const;

/**
 * Typed event bus: each event type's payload is checked against the catalogue. publish() writes the event
 * to the durable log first (its seq is the log's), then delivers it. In-process subscribers are isolated:
 * one that throws (or rejects) is logged and affects nobody else. Named durable subscribers keep a cursor
 * in the store and receive every event after it, in order, at least once, across restarts.
 */
export class EventBus {
  private readonly subscribers = new Set<{ filter: SubscribeFilter; handler: Handler }>();
  private readonly durables: DurableSubscribers;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: Logger,
    private readonly clock: Clock,
    opts: BusOptions = {},
  ) {
    this.durables = new DurableSubscribers(db, log, clock, opts.retryDelaysMs ?? [250, 1000, 5000, 15000]);
  }

  async publish<T extends EventType>(type: T, input: PublishInput<T>): Promise<BusEvent<T>> {
    const schema = EVENT_CATALOGUE[type];
    const payload = schema.parse(input.payload) as EventPayload<T>;
    const id = eventId();
    const at = this.clock.now().toISOString();
    const row = await this.db
      .insertInto("events")
      .values({
        id,
        type,
        at,
        source: input.source,
        account_id: input.account_id ?? null,
        run_id: input.run_id ?? null,
        payload: JSON.stringify(payload),
      })
      .returning("seq")
      .executeTakeFirstOrThrow();
    const event: BusEvent<T> = {
      seq: row.seq,
      id,
      type,
      at,
      source: input.source,
      ...(input.account_id ? { account_id: input.account_id } : {}),
      ...(input.run_id ? { run_id: input.run_id } : {}),
      payload,
    };
    this.deliver(event as BusEvent);
    this.durables.notify(type);
    return event;
  }

  /**
   * Publish several events in one store transaction: one commit instead of one per event, for work that
   * emits an event per account (a scan of 10,000 accounts). All are logged or none; each is then
   * delivered exactly as publish() delivers it, in order.
   */
  async publishMany(items: readonly PublishItem[]): Promise<BusEvent[]> {
    if (items.length === 0) return [];
    const at = this.clock.now().toISOString();
    const rows = items.map((item) => ({
      id: eventId(),
      type: item.type,
      at,
      source: item.input.source,
      account_id: item.input.account_id ?? null,
      run_id: item.input.run_id ?? null,
      payload: EVENT_CATALOGUE[item.type].parse(item.input.payload) as BusEvent["payload"],
    }));
    // A hundred rows a statement, as parameters of a statement text built once per row count (Kysely
    // would build and compile a node per value: on a 10,000-event batch that costs more than SQLite's
    // own work). RETURNING order is unspecified, so seqs are matched back by event id.
    const seqs = await this.db.transaction().execute(async (trx) => {
      const out = new Map<string, number>();
      for (let i = 0; i < rows.length; i += 100) {
        const chunk = rows.slice(i, i + 100);
        const params: Array<string | null> = [];
        for (const r of chunk) {
          params.push(r.id, r.type, r.at, r.source, r.account_id, r.run_id, JSON.stringify(r.payload));
        }
        const returned = await trx.executeQuery<{ id: string; seq: number }>(
          CompiledQuery.raw(
            multiRowInsertText("events", EVENT_COLUMNS, chunk.length, { returning: ["id", "seq"] }),
            params,
          ),
        );
        for (const x of returned.rows) out.set(x.id, x.seq);
      }
      return out;
    });
    const events = rows.map(
      (r): BusEvent => ({
        seq: seqs.get(r.id)!,
        id: r.id,
        type: r.type,
        at,
        source: r.source,
        ...(r.account_id ? { account_id: r.account_id } : {}),
        ...(r.run_id ? { run_id: r.run_id } : {}),
        payload: r.payload,
      }),
    );
    events.sort((a, b) => a.seq - b.seq);
    for (const e of events) this.deliver(e);
    this.durables.notifyAny(new Set(rows.map((r) => r.type)));
    return events;
  }

  /** In-process subscription, from now on. Returns the unsubscribe function. */
  subscribe(filter: SubscribeFilter, handler: Handler): () => void {
    const entry = { filter, handler };
    this.subscribers.add(entry);
    return () => this.subscribers.delete(entry);
  }

  private deliver(event: BusEvent): void {
    for (const { filter, handler } of this.subscribers) {
      if (filter.types && !filter.types.includes(event.type)) continue;
      if (filter.account_id && filter.account_id !== event.account_id) continue;
      if (filter.run_id && filter.run_id !== event.run_id) continue;
      try {
        const r = handler(event);
        if (r && typeof (r as Promise<void>).catch === "function") {
          (r as Promise<void>).catch((err: unknown) =>
            this.log.error({ err, event_type: event.type, seq: event.seq }, "event subscriber failed"),
          );
        }
      } catch (err) {
        this.log.error({ err, event_type: event.type, seq: event.seq }, "event subscriber failed");
      }
    }
  }

  /**
   * Register a named durable subscriber. Its cursor lives in the store; events after the cursor are
   * delivered in seq order once start() has been called. The handler must be idempotent.
   */
  durable(name: string, types: readonly EventType[], handler: Handler): void {
    this.durables.register(name, types, handler);
  }

  /** Begin delivering to durable subscribers (after every agent registered its own). */
  start(): Promise<void> {
    return this.durables.start();
  }

  /** Resolves when every durable subscriber has caught up with the log (tests, shutdown). */
  idle(): Promise<void> {
    return this.durables.idle();
  }

  /** Stop durable delivery (shutdown); handlers in progress finish, no new ones start. */
  async stop(): Promise<void> {
    await this.durables.stop();
    this.subscribers.clear();
  }

  async replay(opts: {
    since?: number;
    types?: readonly string[];
    account_id?: string;
    run_id?: string;
    limit?: number;
  }): Promise<BusEvent[]> {
    let q = this.db
      .selectFrom("events")
      .selectAll()
      .where("seq", ">", opts.since ?? 0)
      .orderBy("seq")
      .limit(Math.min(opts.limit ?? 100, 1000));
    if (opts.types && opts.types.length > 0) q = q.where("type", "in", opts.types as string[]);
    if (opts.account_id) q = q.where("account_id", "=", opts.account_id);
    if (opts.run_id) q = q.where("run_id", "=", opts.run_id);
    return (await q.execute()).map(toEvent);
  }

  async lastSeq(): Promise<number> {
    const last = await this.db
      .selectFrom("events")
      .select((eb) => eb.fn.max("seq").as("max"))
      .executeTakeFirst();
    return Number(last?.max ?? 0);
  }
}
