import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { OutcomeForm } from "../../../src/features/outcome";
import { ApiError } from "../../../src/lib/api-client";
import { GATES } from "../../fixtures";
import { renderWithApp } from "../../render";

describe("OutcomeForm", () => {
  it("renders each gate by its type, labelled with its question", () => {
    renderWithApp(<OutcomeForm gates={GATES} submitting={false} error={null} onSubmit={() => {}} />);
    const toggle = screen.getByRole("radiogroup", { name: /Root cause identified\?/ });
    expect(toggle.querySelectorAll("input[type=radio]")).toHaveLength(2);
    expect(screen.getByRole("combobox", { name: /What is the primary risk factor\?/ })).toBeTruthy();
    const rating = screen.getByRole("radiogroup", { name: /How well did the call go\?/ });
    expect(rating.querySelectorAll("input[type=radio]")).toHaveLength(5);
    expect(screen.getByRole("textbox", { name: /What is the blocker\?/ })).toBeTruthy();
    expect(screen.getByRole("group", { name: "Customer sentiment" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Complete" })).toBeTruthy();
  });

  it("sends the answers as the API takes them", async () => {
    const onSubmit = vi.fn();
    renderWithApp(<OutcomeForm gates={GATES} submitting={false} error={null} onSubmit={onSubmit} />);
    const user = userEvent.setup();
    await user.click(
      within(screen.getByRole("group", { name: /Root cause identified\?/ })).getByRole("radio", {
        name: "Yes",
      }),
    );
    await user.selectOptions(screen.getByRole("combobox", { name: /primary risk factor/ }), "Budget");
    await user.click(screen.getByRole("radio", { name: "4" }));
    await user.click(screen.getByRole("radio", { name: "Positive" }));
    await user.click(
      within(screen.getByRole("group", { name: /Objective achieved/ })).getByRole("radio", { name: "Yes" }),
    );
    await user.type(screen.getByRole("textbox", { name: "Notes" }), "Agreed a plan");
    await user.type(screen.getByRole("textbox", { name: "Next action" }), "Send the plan");
    await user.click(screen.getByRole("button", { name: "Complete" }));
    expect(onSubmit).toHaveBeenCalledWith(
      expect.objectContaining({
        objective_achieved: "yes",
        sentiment: "positive",
        notes: "Agreed a plan",
        next_action: { notes: "Send the plan", date: null },
        quality_gates: { root_cause_identified: true, primary_risk_factor: "Budget", call_quality: 4 },
      }),
    );
  });

  it("asks for the objective before sending anything", async () => {
    const onSubmit = vi.fn();
    renderWithApp(<OutcomeForm gates={GATES} submitting={false} error={null} onSubmit={onSubmit} />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Complete" }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText("Say whether the objective was achieved.")).toBeTruthy();
  });

  it("shows each of the API's gate problems beside its field", () => {
    const error = new ApiError(422, "quality_gates_failed", "quality gates not satisfied", {
      gates: [
        { gate: "root_cause_identified", code: "missing", problem: "required: Root cause identified?" },
        { gate: "primary_risk_factor", code: "invalid", problem: "must be one of Low usage, Budget, Other" },
      ],
    });
    renderWithApp(<OutcomeForm gates={GATES} submitting={false} error={error} onSubmit={() => {}} />);
    expect(screen.getByText("Some quality gates need an answer. Nothing was saved.")).toBeTruthy();
    const select = screen.getByRole("combobox", { name: /primary risk factor/ });
    expect(select.getAttribute("aria-invalid")).toBe("true");
    const described = document.getElementById(select.getAttribute("aria-describedby")!);
    expect(described?.textContent).toBe("must be one of Low usage, Budget, Other");
    const group = screen.getByRole("radiogroup", { name: /Root cause identified\?/ });
    expect(group.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(group.getAttribute("aria-describedby")!)?.textContent).toBe(
      "required: Root cause identified?",
    );
  });
});
