import type { FastifyInstance } from "fastify";
import WebSocket from "ws";
import { describe, expect, test } from "../helpers/fixture.js";
import { auth, KEYS } from "../helpers/runtime.js";
import { collect, listenWs } from "./helpers.js";

const HOST = "console.test";
const ORIGIN = `http://${HOST}`;

async function signIn(app: FastifyInstance, key: string = KEYS.maya): Promise<string> {
  const res = await app.inject({
    method: "POST",
    url: "/v1/session",
    headers: { host: HOST, origin: ORIGIN },
    payload: { api_key: key },
  });
  expect(res.statusCode, res.body).toBe(201);
  const cookie = String(res.headers["set-cookie"]);
  return cookie.split(";")[0]!;
}

describe("console sessions", () => {
  test("POST /v1/session exchanges a key for an HttpOnly, SameSite=Strict, expiring cookie", async ({
    app,
  }) => {
    const res = await app.inject({
      method: "POST",
      url: "/v1/session",
      headers: { host: HOST, origin: ORIGIN },
      payload: { api_key: KEYS.maya },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      key_name: "maya",
      scopes: ["read", "cs:tasks"],
      csm_id: "maya.chen@example.com",
      via: "session",
    });
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).toMatch(/^atk_session=[\w-]+\.[\w-]+; /);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain(`Max-Age=${12 * 3600}`);
    // The key itself is nowhere in the cookie.
    expect(cookie).not.toContain(KEYS.maya);
  });

  test("a wrong key is 401 and sets no cookie; a sign-in from another site is 403", async ({ app }) => {
    const wrong = await app.inject({
      method: "POST",
      url: "/v1/session",
      headers: { host: HOST, origin: ORIGIN },
      payload: { api_key: "not-a-key-at-all-0000" },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers["set-cookie"]).toBeUndefined();
    const cross = await app.inject({
      method: "POST",
      url: "/v1/session",
      headers: { host: HOST, origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      payload: { api_key: KEYS.maya },
    });
    expect(cross.statusCode).toBe(403);
  });

  test("the cookie authenticates reads with the key's scopes, and GET /v1/session says who", async ({
    app,
  }) => {
    const cookie = await signIn(app);
    const who = await app.inject({ url: "/v1/session", headers: { host: HOST, cookie } });
    expect(who.json()).toMatchObject({ key_name: "maya", via: "session" });
    const queue = await app.inject({ url: "/v1/cs/csm-tasks/queue", headers: { host: HOST, cookie } });
    expect(queue.statusCode).toBe(200);
    // Scopes apply as to the key: maya has no cs:team.
    const team = await app.inject({ url: "/v1/cs/csm-tasks/outcomes/team", headers: { host: HOST, cookie } });
    expect(team.statusCode).toBe(403);
    const other = await app.inject({
      url: "/v1/cs/csm-tasks/queue?csm_id=lena.fischer@example.com",
      headers: { host: HOST, cookie },
    });
    expect(other.statusCode).toBe(403);
  });

  test("a cookie-authenticated write needs the console's own origin", async ({ app }) => {
    const cookie = await signIn(app, KEYS.admin);
    const post = (headers: Record<string, string>) =>
      app.inject({
        method: "POST",
        url: "/v1/cs/csm-tasks/generate",
        headers: { host: HOST, cookie, ...headers },
        payload: {},
      });
    expect((await post({})).statusCode).toBe(403);
    expect((await post({ origin: "https://evil.example" })).statusCode).toBe(403);
    expect((await post({ "sec-fetch-site": "cross-site", origin: ORIGIN })).statusCode).toBe(403);
    expect((await post({ "sec-fetch-site": "same-site" })).statusCode).toBe(403);
    expect((await post({ origin: ORIGIN })).statusCode).toBe(200);
    expect((await post({ "sec-fetch-site": "same-origin" })).statusCode).toBe(200);
    // The bearer header needs no origin: other clients are not browsers.
    const bearer = await app.inject({
      method: "POST",
      url: "/v1/cs/csm-tasks/generate",
      headers: auth(),
      payload: {},
    });
    expect(bearer.statusCode).toBe(200);
  });

  test("a forged or altered cookie is 401", async ({ app }) => {
    const cookie = await signIn(app);
    const [name, value] = cookie.split("=") as [string, string];
    const [body, sig] = value.split(".") as [string, string];
    const payload = JSON.parse(Buffer.from(body, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...payload, k: "admin" })).toString("base64url");
    for (const bad of [
      `${name}=${forged}.${sig}`,
      `${name}=${body}.${sig.slice(0, -2)}AA`,
      `${name}=garbage`,
    ]) {
      const res = await app.inject({ url: "/v1/session", headers: { host: HOST, cookie: bad } });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.message).toContain("sign in again");
    }
  });

  test("DELETE /v1/session removes the cookie", async ({ app }) => {
    const cookie = await signIn(app);
    const res = await app.inject({
      method: "DELETE",
      url: "/v1/session",
      headers: { host: HOST, origin: ORIGIN, cookie },
    });
    expect(res.statusCode).toBe(204);
    expect(String(res.headers["set-cookie"])).toMatch(/^atk_session=; .*Max-Age=0/);
  });

  test("the event stream WebSocket takes the cookie from the console's origin only", async ({ app }) => {
    const cookie = await signIn(app);
    const base = await listenWs(app);
    const host = new URL(base.replace("ws", "http")).host;
    const sameOrigin = await signInAt(app, host);
    const ws = new WebSocket(`${base}/v1/events/stream?since=latest`, {
      headers: { cookie: sameOrigin, origin: `http://${host}` },
    });
    await new Promise<void>((resolve, reject) => {
      ws.on("open", () => resolve());
      ws.on("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    ws.close();
    await expect(
      collect(
        `${base}/v1/events/stream?since=latest`,
        { cookie: sameOrigin, origin: "https://evil.example" },
        () => true,
      ),
    ).rejects.toThrow("HTTP 403");
    await expect(collect(`${base}/v1/events/stream`, { cookie: `${cookie}x` }, () => true)).rejects.toThrow(
      "HTTP 401",
    );
  });
});

async function signInAt(app: FastifyInstance, host: string): Promise<string> {
  const res = await app.inject({
    method: "POST",
    url: "/v1/session",
    headers: { host, origin: `http://${host}` },
    payload: { api_key: KEYS.maya },
  });
  return String(res.headers["set-cookie"]).split(";")[0]!;
}
