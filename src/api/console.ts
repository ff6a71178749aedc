/**
 * The console: the built web app (web/dist) served at / by the same process as the API. Files are
 * served as they are (hashed assets cached for a year); any other path outside the API answers
 * index.html, so a client route such as /queue/42 opens the page on reload. Paths under the API's own
 * prefixes never fall back: an unknown one keeps the API's JSON 404.
 */
import fs from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";

const API_PREFIXES = ["/v1", "/docs", "/healthz", "/readyz", "/a2a", "/mcp", "/.well-known"];

/** Whether a path (no query) belongs to the console rather than to the API. */
export const isConsolePath = (p: string): boolean =>
  !API_PREFIXES.some((prefix) => p === prefix || p.startsWith(`${prefix}/`));

/** Whether a directory holds a built console. */
export const isConsoleBuilt = (dir: string): boolean => fs.existsSync(path.join(dir, "index.html"));

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>account-team</title>
<p>The console is not built. <code>npm start</code> builds it; or run <code>npm run build:web</code>.
The API is at <a href="/docs">/docs</a>.</p>`;

export async function registerConsole(app: FastifyInstance, distDir: string | null): Promise<void> {
  const root = distDir && isConsoleBuilt(distDir) ? path.resolve(distDir) : null;
  if (root) await app.register(fastifyStatic, { root, serve: false, index: false, cacheControl: false });

  const sendIndex = (reply: FastifyReply) =>
    reply.header("cache-control", "no-cache").type("text/html; charset=utf-8").sendFile("index.html");

  app.get("/*", { schema: { hide: true } }, async (req, reply) => {
    const urlPath = req.url.split("?")[0]!;
    // The API's own 404 (its not-found handler) for unknown API paths and missing files.
    if (!isConsolePath(urlPath)) return reply.callNotFound();
    if (!root) return reply.status(503).type("text/html; charset=utf-8").send(NOT_BUILT);
    let rel: string;
    try {
      rel = decodeURIComponent(urlPath).replace(/^\/+/, "");
    } catch {
      return reply.callNotFound();
    }
    const file = path.resolve(root, rel);
    if (
      rel !== "" &&
      file.startsWith(root + path.sep) &&
      fs.statSync(file, { throwIfNoEntry: false })?.isFile()
    ) {
      const immutable = rel.startsWith("assets/");
      reply.header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
      return reply.sendFile(rel);
    }
    // A missing file (a name with an extension) is a 404; anything else is a page of the app.
    if (/\.[a-z0-9]+$/i.test(rel)) return reply.callNotFound();
    return sendIndex(reply);
  });
}
