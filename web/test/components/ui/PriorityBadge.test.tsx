import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { PriorityBadge } from "../../../src/components/ui";

describe("PriorityBadge", () => {
  it.each([
    ["urgent", "URGENT (380)", "badge-red"],
    ["high", "HIGH (120)", "badge-orange"],
    ["standard", "STANDARD (60)", "badge-blue"],
    ["low", "LOW (25)", "badge-grey"],
  ] as const)("%s reads %s in its colour", (priority, text, tone) => {
    const score = Number(/\((\d+)\)/.exec(text)![1]);
    render(<PriorityBadge priority={priority} score={score} />);
    const badge = screen.getByText(text);
    expect(badge.className).toContain(tone);
  });
});
