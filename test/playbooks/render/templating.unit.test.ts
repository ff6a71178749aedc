import { describe, expect, it } from "vitest";
import { renderAction } from "../../../src/playbooks/render/action.js";
import {
  checkTemplate,
  renderSubject,
  renderText,
  textToHtml,
} from "../../../src/playbooks/render/templating.js";
import { buildContext, nameFromEmail, SAMPLE_ACCOUNT } from "../../../src/playbooks/render/variables.js";
import { EmailStepSchema } from "../../../src/playbooks/schema/steps.js";

const ctx = (over: Partial<typeof SAMPLE_ACCOUNT> = {}) =>
  buildContext(
    { ...SAMPLE_ACCOUNT, ...over },
    { execution_id: "pbx_1", playbook_name: "Renewal", contact_email: null },
    new Date("2025-10-17T09:00:00Z"),
  );

describe("playbook templates", () => {
  it("accepts the catalogued variables, helpers and if/unless blocks", () => {
    expect(
      checkTemplate(
        'Hi {{contact.name}}, {{customer.name}} renews {{renewal_date}} ({{days_to_renewal}} days). {{currency customer.arr}} {{#if customer.champion}}{{customer.champion}}{{else}}team{{/if}} {{default customer.nps "n/a"}} {{{csm.name}}}',
      ),
    ).toEqual([]);
  });

  it("names every unknown variable and refuses helpers, partials and relative paths it does not know", () => {
    const problems = checkTemplate(
      "{{customer.nmae}} {{csm.phone}} {{lookup customer 'name'}} {{> footer}} {{#each customer.modules}}x{{/each}} {{../x}} {{@root.customer}} {{this}}",
    ).map((p) => p.message);
    expect(problems).toEqual(
      expect.arrayContaining([
        "unknown variable {{customer.nmae}}",
        "unknown variable {{csm.phone}}",
        'unknown helper "lookup"',
        "block {{#each}} is not allowed (only #if and #unless)",
        expect.stringContaining("partial"),
        "relative paths are not allowed ({{../x}})",
        "@-variables are not allowed ({{@root.customer}})",
        "relative paths are not allowed ({{this}})",
      ]),
    );
    expect(checkTemplate("{{#if}}")[0]!.message).toMatch(/syntax|exactly one/);
    expect(checkTemplate("{{customer.name")[0]!.message).toMatch(/^template syntax/);
  });

  it("renders variables from the account, its CSM and dates", () => {
    const out = renderText(
      "{{customer.name}} / {{csm.name}} <{{csm.email}}> / {{renewal_date}} / {{days_to_renewal}} / {{currency customer.arr}} / {{percent customer.feature_adoption}}",
      ctx(),
    );
    expect(out).toBe(
      "Sample Co / Sam Sample <sam.sample@example.com> / January 15, 2026 / 89 / $120,000 / 50%",
    );
    expect(nameFromEmail("maya.chen@example.com")).toBe("Maya Chen");
    expect(renderText("Hi {{contact.name}}", ctx({ champion: null }))).toBe("Hi there");
  });

  it("escapes HTML in the email's HTML part, not in its text part", () => {
    const step = EmailStepSchema.parse({
      id: "hello",
      name: "Hello",
      type: "email",
      to: "csm",
      subject: "Hello {{customer.name}}\nBcc: evil@example.com",
      body: "Dear {{contact.name}},\n\nWelcome {{customer.name}} & co.\nSee you soon.",
    });
    const action = renderAction(step, {
      account: { ...SAMPLE_ACCOUNT, name: '<script>alert("x")</script> & Sons', champion: "<b>Jo</b>" },
      execution_id: "pbx_1",
      playbook_name: "p",
      contact_email: null,
      started_at: new Date(),
      now: new Date("2025-10-17T09:00:00Z"),
      sales_fallback_email: null,
    });
    if (action.type !== "email") throw new Error("not an email");
    expect(action.text).toContain('Welcome <script>alert("x")</script> & Sons & co.');
    expect(action.html).not.toContain("<script>");
    expect(action.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons");
    expect(action.html).toContain("Dear &lt;b&gt;Jo&lt;/b&gt;,");
    expect(action.html).toMatch(/^<p>Dear .*<\/p>\n<p>Welcome .*<br>\nSee you soon\.<\/p>$/s);
    // A newline in a subject would inject a header; it becomes a space.
    expect(action.subject).toBe('Hello <script>alert("x")</script> & Sons Bcc: evil@example.com');
    expect(action.to).toBe("sam.sample@example.com");
  });

  it("strict rendering: a variable outside the catalogue fails instead of rendering blank", () => {
    expect(() => renderText("{{customer.nmae}}", ctx())).toThrow(/customer\.nmae|nmae/);
    expect(renderSubject("  A\r\nB\t C ", ctx())).toBe("A B C");
    expect(textToHtml("a\n\n\nb")).toBe("<p>a</p>\n<p>b</p>");
  });
});
