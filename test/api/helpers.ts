/** Requests the API tests make: a task dispatch to the test agent, and a WebSocket read until done. */
import type { FastifyInstance } from "fastify";
import WebSocket from "ws";
import { auth, type TestRuntimeOptions } from "../helpers/runtime.js";
import { TEST_AGENTS } from "../helpers/test-agents.js";

/** The runtime of the API tests: the test agents, and a small body limit to test it. */
export const API_TEST_OPTIONS: TestRuntimeOptions = {
  agents: TEST_AGENTS,
  env: { API_BODY_LIMIT_BYTES: "2048" },
};

export const dispatch = (
  app: FastifyInstance,
  body: unknown,
  headers: Record<string, string> = {},
  query = "",
) =>
  app.inject({
    method: "POST",
    url: `/v1/agents/test-three-step/tasks${query}`,
    headers: { ...auth(), ...headers },
    payload: body as object,
  });

/** The app's WebSocket base URL, listening on a free port. */
export const listenWs = async (app: FastifyInstance): Promise<string> =>
  (await app.listen({ port: 0, host: "127.0.0.1" })).replace("http", "ws");

/** Messages of a WebSocket until `until` says enough (or the server closes it). */
export const collect = (url: string, headers: Record<string, string>, until: (msgs: unknown[]) => boolean) =>
  new Promise<unknown[]>((resolve, reject) => {
    const msgs: unknown[] = [];
    const ws = new WebSocket(url, { headers });
    ws.on("message", (d) => {
      msgs.push(JSON.parse(String(d)));
      if (until(msgs)) {
        ws.close();
        resolve(msgs);
      }
    });
    ws.on("close", () => resolve(msgs));
    ws.on("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on("error", reject);
  });
