import { describe, expect, it } from "vitest";
import { streamUrl } from "../../src/lib/live-events";

describe("streamUrl", () => {
  it("points at the event stream on the page's own host, ws or wss as the page", () => {
    expect(
      streamUrl(["task.created", "task.completed"], "latest", {
        protocol: "http:",
        host: "127.0.0.1:3000",
      } as Location),
    ).toBe("ws://127.0.0.1:3000/v1/events/stream?since=latest&types=task.created%2Ctask.completed");
    expect(streamUrl([], 41, { protocol: "https:", host: "cs.example.com" } as Location)).toBe(
      "wss://cs.example.com/v1/events/stream?since=41",
    );
  });
});
