import type { Kysely } from "kysely";
import type { Clock } from "../clock.js";
import { errorMessage } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Database } from "../store/schema.js";
import type { BusEvent, EventType } from "./catalogue.js";
import { toEvent } from "./event-row.js";

export type Handler = (event: BusEvent) => void | Promise<void>;

interface DurableSubscriber {
  name: string;
  types: readonly EventType[];
  handler: Handler;
  cursor: number;
  running: boolean;
  again: boolean;
  stopped: boolean;
  idle: Promise<void>;
  resolveIdle: () => void;
}

/**
 * The bus's named durable subscribers. Each keeps a cursor in the store (subscriber_cursors) and receives
 * every event of its types after the cursor, in seq order, at least once, across restarts: the cursor
 * moves only once the handler has taken the event. A handler that keeps failing is retried with backoff,
 * then the event is dead-lettered and the subscriber moves on.
 */
export class DurableSubscribers {
  private readonly subs = new Map<string, DurableSubscriber>();
  private started = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly retryDelaysMs: readonly number[],
  ) {}

  register(name: string, types: readonly EventType[], handler: Handler): void {
    if (this.subs.has(name)) throw new Error(`durable subscriber ${name} registered twice`);
    let resolveIdle = () => {};
    const idle = new Promise<void>((r) => {
      resolveIdle = r;
    });
    const sub: DurableSubscriber = {
      name,
      types,
      handler,
      cursor: 0,
      running: false,
      again: false,
      stopped: false,
      idle,
      resolveIdle,
    };
    sub.resolveIdle();
    this.subs.set(name, sub);
    if (this.started) void this.loadCursorAndPump(sub);
  }

  async start(): Promise<void> {
    this.started = true;
    await Promise.all([...this.subs.values()].map((d) => this.loadCursorAndPump(d)));
  }

  /** Events of `type` were logged: the subscribers of that type catch up. */
  notify(type: EventType): void {
    for (const d of this.subs.values()) {
      if (this.started && !d.stopped && d.types.includes(type)) void this.pump(d);
    }
  }

  /** Events of these types were logged: the subscribers of any of them catch up. */
  notifyAny(types: ReadonlySet<EventType>): void {
    for (const d of this.subs.values()) {
      if (this.started && !d.stopped && d.types.some((t) => types.has(t))) void this.pump(d);
    }
  }

  /** Resolves when every durable subscriber has caught up with the log. */
  async idle(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const subs = [...this.subs.values()].filter((d) => !d.stopped);
      await Promise.all(subs.map((d) => d.idle));
      if (subs.every((d) => !d.running && !d.again)) return;
    }
  }

  /** Handlers in progress finish; no new ones start. */
  async stop(): Promise<void> {
    for (const d of this.subs.values()) d.stopped = true;
    await Promise.all([...this.subs.values()].map((d) => d.idle));
  }

  private async loadCursorAndPump(sub: DurableSubscriber): Promise<void> {
    const row = await this.db
      .selectFrom("subscriber_cursors")
      .select("seq")
      .where("name", "=", sub.name)
      .executeTakeFirst();
    if (row) {
      sub.cursor = row.seq;
    } else {
      // A new subscriber starts from now: it owes nothing to history it was never part of.
      const last = await this.db
        .selectFrom("events")
        .select((eb) => eb.fn.max("seq").as("max"))
        .executeTakeFirst();
      sub.cursor = Number(last?.max ?? 0);
      await this.saveCursor(sub);
    }
    void this.pump(sub);
  }

  private async saveCursor(sub: DurableSubscriber): Promise<void> {
    const updated_at = this.clock.now().toISOString();
    await this.db
      .insertInto("subscriber_cursors")
      .values({ name: sub.name, seq: sub.cursor, updated_at })
      .onConflict((oc) => oc.column("name").doUpdateSet({ seq: sub.cursor, updated_at }))
      .execute();
  }

  private async pump(sub: DurableSubscriber): Promise<void> {
    if (sub.running) {
      sub.again = true;
      return;
    }
    sub.running = true;
    sub.idle = new Promise<void>((r) => {
      sub.resolveIdle = r;
    });
    try {
      do {
        sub.again = false;
        for (;;) {
          if (sub.stopped) return;
          const rows = await this.db
            .selectFrom("events")
            .selectAll()
            .where("seq", ">", sub.cursor)
            .where("type", "in", sub.types as EventType[])
            .orderBy("seq")
            .limit(200)
            .execute();
          if (rows.length === 0) break;
          for (const row of rows) {
            if (sub.stopped) return;
            const delivered = await this.deliver(sub, toEvent(row));
            if (!delivered) return;
            sub.cursor = row.seq;
            await this.saveCursor(sub);
          }
        }
      } while (sub.again && !sub.stopped);
    } catch (err) {
      this.log.error({ err, subscriber: sub.name }, "durable subscriber pump failed");
    } finally {
      sub.running = false;
      sub.resolveIdle();
    }
  }

  /** Try the handler with backoff; false only when the subscriber was stopped meanwhile. */
  private async deliver(sub: DurableSubscriber, event: BusEvent): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await sub.handler(event);
        return true;
      } catch (err) {
        const delay = this.retryDelaysMs[attempt - 1];
        if (delay === undefined) {
          this.log.error(
            { err, subscriber: sub.name, seq: event.seq, attempts: attempt },
            "event dead-lettered",
          );
          await this.db
            .insertInto("dead_letters")
            .values({
              subscriber: sub.name,
              event_seq: event.seq,
              error: errorMessage(err),
              attempts: attempt,
              at: this.clock.now().toISOString(),
            })
            .execute();
          return true;
        }
        this.log.warn(
          { err, subscriber: sub.name, seq: event.seq, attempt },
          "durable handler failed; retrying",
        );
        await new Promise((r) => setTimeout(r, delay));
        if (sub.stopped) return false;
      }
    }
  }
}
