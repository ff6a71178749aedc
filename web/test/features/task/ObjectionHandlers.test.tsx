import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ObjectionHandlers } from "../../../src/features/task/components/ObjectionHandlers";
import { ScriptText } from "../../../src/features/task/components/ScriptText";

describe("call playbook parts", () => {
  it("objection handlers expand to their response", async () => {
    render(
      <ObjectionHandlers
        handlers={[
          {
            id: "busy",
            trigger: "Been busy",
            response: { text: "Totally understand.", parts: [{ text: "Totally understand." }], unfilled: [] },
          },
        ]}
      />,
    );
    const details = screen.getByText("“Been busy”").closest("details")!;
    expect(details.open).toBe(false);
    await userEvent.setup().click(screen.getByText("“Been busy”"));
    expect(details.open).toBe(true);
    expect(screen.getByText("Totally understand.")).toBeTruthy();
  });

  it("a script shows the customer's values and marks what the CSM must supply", () => {
    render(
      <p>
        <ScriptText
          script={{
            text: "Hi Dana, the risk is [consequence of delay].",
            parts: [
              { text: "Hi Dana, the risk is " },
              { placeholder: "consequence of delay" },
              { text: "." },
            ],
            unfilled: ["consequence of delay"],
          }}
        />
      </p>,
    );
    expect(screen.getByText("consequence of delay").tagName).toBe("MARK");
    expect(screen.getByText(/Hi Dana/)).toBeTruthy();
  });
});
