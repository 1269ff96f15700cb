import { describe, expect, it } from "vitest";
import {
  formatAnswer,
  markdownToMrkdwn,
  maxAnswerMessages,
  planAnswer,
  splitMarkdown,
  withoutStackTrace,
} from "../../src/slack/format.js";

describe("splitting Markdown for Slack", () => {
  it("keeps a short answer whole, in one markdown block", () => {
    const parts = formatAnswer("**Paris** is the capital of [France](https://example.com/fr).");
    expect(parts).toHaveLength(1);
    expect(parts[0]!.blocks).toEqual([
      { type: "markdown", text: "**Paris** is the capital of [France](https://example.com/fr)." },
    ]);
    expect(parts[0]!.text).toBe("*Paris* is the capital of <https://example.com/fr|France>.");
  });

  it("cuts at paragraph boundaries, every part within the limit", () => {
    const paragraphs = Array.from(
      { length: 30 },
      (_, index) => `Paragraph ${index} ${"word ".repeat(40).trim()}`,
    );
    const markdown = paragraphs.join("\n\n");
    const parts = splitMarkdown(markdown, 1000);
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(1000);
      expect(part.startsWith("Paragraph")).toBe(true);
    }
    expect(parts.join("\n\n")).toBe(markdown.trim());
  });

  it("closes a code block at the cut and reopens it, with its language, in the next part", () => {
    const code = Array.from({ length: 200 }, (_, index) => `const value${index} = ${index};`).join("\n");
    const markdown = `Here is the code:\n\n\`\`\`ts\n${code}\n\`\`\`\n\nThat is all.`;
    const parts = splitMarkdown(markdown, 1500);
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(1500);
      expect((part.match(/^```/gm) ?? []).length % 2).toBe(0);
    }
    expect(parts[1]!.startsWith("```ts\n")).toBe(true);
    const lines = parts.join("\n").split("\n");
    for (let index = 0; index < 200; index += 1) {
      expect(lines).toContain(`const value${index} = ${index};`);
    }
  });

  it("cuts text without any boundary anywhere, never splitting an emoji", () => {
    const markdown = "😀".repeat(3000);
    const parts = splitMarkdown(markdown, 1001);
    expect(parts.join("")).toBe(markdown);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(1001);
  });

  it("sends a very long answer as a preview and a file", () => {
    const markdown = Array.from(
      { length: 80 },
      (_, index) => `## Section ${index}\n\n${"text ".repeat(200)}`,
    ).join("\n\n");
    expect(formatAnswer(markdown).length).toBeGreaterThan(maxAnswerMessages);
    const plan = planAnswer(markdown, "answer.md");
    expect(plan.type).toBe("file");
    if (plan.type !== "file") return;
    expect(plan.file).toEqual({ name: "answer.md", title: "Full answer", content: markdown });
    const preview = (plan.preview.blocks[0] as { text: string }).text;
    expect(preview.startsWith("## Section 0")).toBe(true);
    expect(preview).toContain("attached as `answer.md`");
    expect(preview.length).toBeLessThan(3000);
  });

  it("keeps a few long parts as messages", () => {
    const markdown = `${"a ".repeat(5000)}\n\n${"b ".repeat(5000)}`;
    const plan = planAnswer(markdown, "answer.md");
    expect(plan.type).toBe("messages");
    if (plan.type === "messages") expect(plan.parts).toHaveLength(2);
  });
});

describe("Markdown to mrkdwn", () => {
  it("converts emphasis, links, headings and bullets, leaves code alone, escapes markup", () => {
    const markdown = [
      "# Results",
      "**Bold**, *italic*, ~~gone~~ and `a**b**<c>`.",
      "- one [link](https://example.com?a=1&b=2)",
      "* two",
      "```",
      "**not bold** <tag>",
      "```",
      "1 < 2 & 3 > 2",
    ].join("\n");
    expect(markdownToMrkdwn(markdown)).toBe(
      [
        "*Results*",
        "*Bold*, _italic_, ~gone~ and `a**b**&lt;c&gt;`.",
        "• one <https://example.com?a=1&amp;b=2|link>",
        "• two",
        "```",
        "**not bold** &lt;tag&gt;",
        "```",
        "1 &lt; 2 &amp; 3 &gt; 2",
      ].join("\n"),
    );
  });

  it("removes stack frames from failure notices", () => {
    const text =
      "I had to stop: boom\n    at run (/app/src/x.ts:10:5)\n    at async main (/app/src/y.ts:2:1)";
    expect(withoutStackTrace(text)).toBe("I had to stop: boom");
  });
});
