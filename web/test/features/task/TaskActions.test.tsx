import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { TaskActions } from "../../../src/features/task/components/TaskActions";

describe("TaskActions", () => {
  it("offers only the actions the task's state allows, named by the action", () => {
    render(<TaskActions allowed={["start", "snooze", "reschedule"]} busy={false} onAction={() => {}} />);
    expect(screen.getAllByRole("button").map((b) => b.textContent)).toEqual([
      "Start",
      "Snooze",
      "Reschedule",
    ]);
  });

  it("escalate asks for a reason first, then sends it", async () => {
    const onAction = vi.fn();
    render(<TaskActions allowed={["escalate", "block", "cancel"]} busy={false} onAction={onAction} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Escalate" }));
    await user.click(screen.getByRole("button", { name: "Confirm escalate" }));
    expect(onAction).not.toHaveBeenCalled();
    expect(screen.getByText("Give a reason.")).toBeTruthy();
    await user.type(screen.getByRole("textbox", { name: /Reason/ }), "Wants our VP");
    await user.type(screen.getByRole("textbox", { name: "Escalate to" }), "vp@example.com");
    await user.click(screen.getByRole("button", { name: "Confirm escalate" }));
    expect(onAction).toHaveBeenCalledWith("escalate", {
      reason: "Wants our VP",
      escalate_to: "vp@example.com",
    });
  });
});
