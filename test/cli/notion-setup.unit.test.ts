import { describe, expect, it } from "vitest";
import { parsePageId } from "../../src/cli/notion-setup.js";

describe("parsePageId", () => {
  it("reads a page id with or without dashes, or from the page's URL", () => {
    const id = "0123abcd-4567-89ef-0123-456789abcdef";
    expect(parsePageId(id)).toBe(id);
    expect(parsePageId("0123ABCD456789EF0123456789ABCDEF")).toBe(id);
    expect(
      parsePageId("https://www.notion.so/acme/Account-Team-0123abcd456789ef0123456789abcdef?pvs=4"),
    ).toBe(id);
    expect(parsePageId("Account Team")).toBeNull();
    expect(parsePageId("https://www.notion.so/acme/Account-Team")).toBeNull();
  });
});
