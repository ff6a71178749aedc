/**
 * Live updates over the service's event stream (/v1/events/stream, the session cookie authenticates
 * the upgrade). The stream starts at the log's end (since=latest) and resumes after a drop from the last
 * seq seen, so nothing published while reconnecting is missed. On every (re)connect `onOpen` runs, so a
 * page refetches what may have changed while no stream was open.
 */
import { useEffect, useRef } from "react";
import type { BusEvent } from "../types/api";

export interface LiveEventsOptions {
  types: readonly string[];
  onEvent: (event: BusEvent) => void;
  onOpen?: () => void;
  enabled?: boolean;
}

const RETRY_MS = [500, 1000, 2000, 5000, 10000];

export function streamUrl(
  types: readonly string[],
  since: number | "latest",
  location: Location = window.location,
): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const params = new URLSearchParams({ since: String(since) });
  if (types.length > 0) params.set("types", types.join(","));
  return `${scheme}//${location.host}/v1/events/stream?${params.toString()}`;
}

export function useLiveEvents({ types, onEvent, onOpen, enabled = true }: LiveEventsOptions): void {
  const handlers = useRef({ onEvent, onOpen });
  handlers.current = { onEvent, onOpen };
  const typeKey = types.join(",");

  useEffect(() => {
    if (!enabled || typeof WebSocket === "undefined") return;
    let socket: WebSocket | null = null;
    let lastSeq: number | "latest" = "latest";
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const connect = () => {
      socket = new WebSocket(streamUrl(typeKey ? typeKey.split(",") : [], lastSeq));
      socket.onopen = () => {
        attempt = 0;
        handlers.current.onOpen?.();
      };
      socket.onmessage = (msg) => {
        try {
          const data = JSON.parse(String(msg.data)) as { kind?: string; event?: BusEvent };
          if (data.kind === "event" && data.event) {
            lastSeq = data.event.seq;
            handlers.current.onEvent(data.event);
          }
        } catch {
          // A message the console does not understand is ignored.
        }
      };
      socket.onclose = () => {
        if (stopped) return;
        const wait = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]!;
        attempt += 1;
        timer = setTimeout(connect, wait);
      };
    };
    connect();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      socket?.close();
    };
  }, [typeKey, enabled]);
}
