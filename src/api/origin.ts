/**
 * Whether a request comes from the console's own origin. A cookie rides along with any request the
 * browser makes to this host, so a cookie-authenticated write (or WebSocket) is only taken when the
 * browser says it came from a page of this origin: Sec-Fetch-Site "same-origin", or, from browsers that
 * do not send it, an Origin equal to the console's (PUBLIC_BASE_URL's origin, else this request's own
 * scheme and Host). A request that carries neither cannot show where it came from and is refused.
 */
import type { FastifyRequest } from "fastify";

export function consoleOrigin(req: FastifyRequest, publicBaseUrl: string | undefined): string {
  if (publicBaseUrl) return new URL(publicBaseUrl).origin;
  return `${req.protocol}://${req.headers.host ?? req.host}`;
}

export function fromConsoleOrigin(req: FastifyRequest, publicBaseUrl: string | undefined): boolean {
  const site = req.headers["sec-fetch-site"];
  if (typeof site === "string") return site === "same-origin";
  const origin = req.headers.origin;
  if (typeof origin !== "string") return false;
  return origin === consoleOrigin(req, publicBaseUrl);
}

/** Methods that change nothing; every other one is a write. */
export const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
