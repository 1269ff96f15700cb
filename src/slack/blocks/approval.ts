import type { ApprovalPrompt } from "../../harness/thread.js";

/** What the button carries: the approval, and a signature binding it to the run, call and arguments. */
export interface ApprovalButtonValue {
  approvalId: string;
  token: string;
}

const maxArgumentsText = 2800;

export function approvalBlocks(prompt: ApprovalPrompt) {
  const value = JSON.stringify({
    approvalId: prompt.approvalId,
    token: prompt.token,
  } satisfies ApprovalButtonValue);
  const argumentsText = JSON.stringify(prompt.arguments, null, 2);
  const clipped =
    argumentsText.length > maxArgumentsText
      ? `${argumentsText.slice(0, maxArgumentsText)}\n…`
      : argumentsText;
  const who = prompt.approvers.map((user) => `<@${user}>`).join(", ");
  return [
    {
      type: "section",
      block_id: "approval.summary",
      text: {
        type: "mrkdwn",
        text: `:raised_hand: *Approval needed* to use \`${prompt.tool}\`:\n${escapeText(prompt.summary)}`.slice(
          0,
          3000,
        ),
      },
    },
    {
      type: "section",
      block_id: "approval.arguments",
      text: { type: "mrkdwn", text: `*Full arguments*\n\`\`\`${escapeText(clipped)}\`\`\`` },
    },
    { type: "context", elements: [{ type: "mrkdwn", text: `Can decide: ${who}` }] },
    {
      type: "actions",
      block_id: "approval.decision",
      elements: [
        {
          type: "button",
          action_id: "approval.approve",
          style: "primary",
          text: { type: "plain_text", text: "Approve" },
          value,
        },
        {
          type: "button",
          action_id: "approval.deny",
          style: "danger",
          text: { type: "plain_text", text: "Deny" },
          value,
        },
      ],
    },
  ];
}

export function decidedBlocks(
  prompt: { tool: string; summary: string },
  decision: { approved: boolean; by: string; at: Date; reason?: string | null },
) {
  const verdict = decision.approved ? ":white_check_mark: Approved" : ":no_entry_sign: Denied";
  const reason = decision.reason ? ` — "${escapeText(decision.reason)}"` : "";
  return [
    {
      type: "section",
      text: { type: "mrkdwn", text: `\`${prompt.tool}\`: ${escapeText(prompt.summary)}`.slice(0, 3000) },
    },
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `${verdict} by <@${decision.by}> at <!date^${Math.floor(decision.at.getTime() / 1000)}^{date_short_pretty} {time}|${decision.at.toISOString()}>${reason}`,
        },
      ],
    },
  ];
}

export function escapeText(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}
