/** Shared plumbing of the loopback emulators: a node:http server on 127.0.0.1 and an ephemeral port. */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface EmulatorRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON-serialised unless it is already a string. */
  body?: unknown;
  /** Server-sent events, written one by one (streaming APIs). */
  events?: string[];
}

export interface LoopbackServer {
  url: string;
  close(): Promise<void>;
}

export async function startLoopback(
  handle: (req: EmulatorRequest) => Promise<EmulatorResponse> | EmulatorResponse,
): Promise<LoopbackServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      try {
        const out = await handle({
          method: req.method ?? "GET",
          url: new URL(req.url ?? "/", "http://127.0.0.1"),
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        });
        if (out.events) {
          res.writeHead(out.status, { "content-type": "text/event-stream", ...out.headers });
          for (const e of out.events) res.write(e);
          res.end();
          return;
        }
        const body =
          out.body === undefined ? "" : typeof out.body === "string" ? out.body : JSON.stringify(out.body);
        res.writeHead(out.status, {
          ...(typeof out.body === "string" ? {} : { "content-type": "application/json; charset=utf-8" }),
          ...out.headers,
        });
        res.end(body);
      } catch (err) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: String(err) }));
      }
    });
  });
  // Long enough for clients to reuse connections: undici keeps a socket for the server's keep-alive hint
  // less one second, so the default 5 s is needed (1 s would mean a new connection per request). close()
  // ends idle sockets itself (closeAllConnections), so they never hold it open.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Deterministic PRNG (mulberry32) so injected faults repeat run to run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
