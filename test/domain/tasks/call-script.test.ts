import { describe, expect, it } from "vitest";
import { fillScript } from "../../../src/domain/tasks/call-script.js";

describe("fillScript", () => {
  it("fills known placeholders and keeps the others for the CSM", () => {
    const s = fillScript(
      "Hi [name], this is [csm]. The risk is [consequence of delay]; [Missing step] matters.",
      {
        name: "Dana",
        csm: "Maya Chen",
        missing_step: "SSO configured",
      },
    );
    expect(s.text).toBe(
      "Hi Dana, this is Maya Chen. The risk is [consequence of delay]; SSO configured matters.",
    );
    expect(s.unfilled).toEqual(["consequence of delay"]);
    expect(s.parts).toEqual([
      { text: "Hi Dana, this is Maya Chen. The risk is " },
      { placeholder: "consequence of delay" },
      { text: "; SSO configured matters." },
    ]);
  });

  it("treats empty and null values as unknown, and text without placeholders as it is", () => {
    expect(fillScript("[name]!", { name: "" }).unfilled).toEqual(["name"]);
    expect(fillScript("[name]!", { name: null }).parts).toEqual([{ placeholder: "name" }, { text: "!" }]);
    expect(fillScript("No placeholders.", {})).toEqual({
      text: "No placeholders.",
      parts: [{ text: "No placeholders." }],
      unfilled: [],
    });
  });
});
