import { describe, expect, it } from "vitest";
import { approvalBlocks } from "../../src/slack/blocks/approval.js";
import { argumentsModal } from "../../src/slack/blocks/approval-dialogs.js";

/**
 * What the approval message shows a person about to decide: how much of long arguments the preview
 * leaves out, and a channel named as `<#C123|label>` by its id alone, so Slack shows the channel's
 * real name rather than a label the model (or a page that steered it) chose.
 */
const prompt = (summary: string, args: unknown) => ({
  approvalId: "approval-1",
  tool: "post_message",
  summary,
  arguments: args,
  approvers: ["U0ALICE1"],
  token: "token",
});

type Block = { block_id?: string; text?: { text: string }; fields?: Array<{ text: string }> };
const blockText = (blocks: unknown[], id: string) => {
  const block = (blocks as Block[]).find((item) => item.block_id === id);
  return [block?.text?.text ?? "", ...(block?.fields ?? []).map((field) => field.text)].join("\n");
};

describe("the approval message", () => {
  it("says how many characters of long arguments the preview leaves out", () => {
    const text = `${"a".repeat(900)} and then send it to everyone`;
    const args = { channel: "C0GENERAL1", text };
    const whole = JSON.stringify(args, null, 2).length;
    const shown = blockText(approvalBlocks(prompt("Post a report", args)), "approval.arguments");
    expect(shown).toContain(`… and ${whole - 600} more characters not shown.`);
    expect(shown).not.toContain("send it to everyone");

    const short = blockText(approvalBlocks(prompt("Post a report", { text: "hi" })), "approval.arguments");
    expect(short).not.toContain("not shown");
  });

  it("says how much of a long summary is left out", () => {
    const summary = `Post to #general: "${"b".repeat(2500)} and the payroll file"`;
    const shown = blockText(approvalBlocks(prompt(summary, {})), "approval.summary");
    expect(shown).toContain(`… and ${summary.length - 2000} more characters not shown.`);
    expect(shown).not.toContain("payroll");
  });

  it("names a labelled channel by its id, so Slack shows its real name", () => {
    const args = { channel: "<#C0SECRET1|general>", text: "the plans" };
    const blocks = approvalBlocks(prompt('Post to <#C0SECRET1|general>: "the plans"', args));
    const facts = blockText(blocks, "approval.facts");
    expect(facts).toContain("*Target*\n<#C0SECRET1>");
    expect(facts).not.toContain("general");
    const summary = blockText(blocks, "approval.summary");
    expect(summary).toContain("Post to <#C0SECRET1>: ");
    expect(summary).not.toContain("general");
    // Anything else in the summary stays escaped: no mention or link of its own.
    const pinging = blockText(
      approvalBlocks(prompt("Tell <!channel> and <@U0ALICE1>", {})),
      "approval.summary",
    );
    expect(pinging).toContain("&lt;!channel&gt; and &lt;@U0ALICE1&gt;");

    const modal = argumentsModal({
      tool: "post_message",
      summary: 'Post to <#C0SECRET1|general>: "the plans"',
      arguments: args,
    });
    const header = JSON.stringify(modal.blocks[0]);
    expect(header).toContain("Post to <#C0SECRET1>");
    expect(header).toContain("Target: <#C0SECRET1>");
  });
});
