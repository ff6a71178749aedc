import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { PriorityQueue } from "../../../src/features/queue/components/PriorityQueue";
import { queueItem } from "../../fixtures";
import { renderWithApp } from "../../render";

describe("the task queue list", () => {
  const names = new Map([["at_risk_recovery", "At-Risk Recovery"]]);
  const show = (
    items = [
      queueItem(),
      queueItem({
        id: 7,
        priority: "low",
        priority_score: 30,
        days_overdue: 0,
        due_date: new Date(Date.now() + 86_400_000).toISOString(),
        health: null,
      }),
    ],
  ) =>
    renderWithApp(
      <PriorityQueue
        label="Task queue"
        tasks={items}
        typeNames={names}
        total={items.length}
        hasMore={false}
        loadingMore={false}
        onMore={() => {}}
      />,
    );

  it("is a list named Task queue whose items start with the badge text", () => {
    show();
    const list = screen.getByRole("list", { name: "Task queue" });
    const items = within(list).getAllByRole("listitem");
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toMatch(/^URGENT \(380\)/);
    expect(items[1]!.textContent).toMatch(/^LOW \(30\)/);
  });

  it("shows type, customer, ARR, health, due date and overdue in words, and links to the task", () => {
    show();
    const first = screen.getAllByRole("listitem")[0]!;
    const text = first.textContent ?? "";
    expect(text).toContain("At-Risk Recovery");
    expect(text).toContain("Falcon Systems Inc");
    expect(text).toContain("ARR $356,500");
    expect(text).toContain("Health AMBER 54");
    expect(text).toContain("Overdue 2 d");
    expect(within(first).getByRole("link").getAttribute("href")).toBe("/queue/42");
    const second = screen.getAllByRole("listitem")[1]!;
    expect(second.textContent).toContain("Health not scored");
    expect(second.textContent).not.toContain("Overdue");
  });

  it("says so when nothing matches", () => {
    show([]);
    expect(screen.getByText(/No tasks match/)).toBeTruthy();
  });
});
