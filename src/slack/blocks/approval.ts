import type { ApprovalPrompt } from "../../harness/thread.js";
import { codeBlock, escapeText, slackDate } from "./text.js";

export { escapeText } from "./text.js";

/**
 * The approval message: exactly what will happen (the tool, its target, a readable summary, the
 * arguments, with the full arguments a click away), who may decide, and Approve/Deny buttons. What
 * the preview leaves out is said in numbers, and a channel the arguments or the summary name as
 * `<#C123|label>` is shown by its id alone, so Slack shows its real name, not a label the model (or
 * whoever steered it) chose. Both
 * buttons carry the same value: the approval id and a token signed over the approval, its run, the
 * tool call and the hash of the call's arguments (verified in src/runs/decide-approval.ts).
 */
export interface ApprovalButtonValue {
  approvalId: string;
  token: string;
}

export const approvalActions = {
  approve: "approval.approve",
  deny: "approval.deny",
  details: "approval.details",
} as const;

const previewLimit = 600;

export function approvalButtonValue(prompt: { approvalId: string; token: string }): string {
  return JSON.stringify({ approvalId: prompt.approvalId, token: prompt.token } satisfies ApprovalButtonValue);
}

const summaryLimit = 2000;

/**
 * What the channel sees of an approval: the tool and who decides, never its arguments or summary
 * (they can hold what only the requester may read); the deciders get `approvalBlocks` privately.
 */
export function publicApprovalText(prompt: Pick<ApprovalPrompt, "tool" | "approvers">): string {
  return `Coworker wants to use \`${escapeText(prompt.tool)}\`, waiting for ${mentions(prompt.approvers)} (the details went to them privately).`;
}

export function publicApprovalBlocks(prompt: ApprovalPrompt) {
  return [
    {
      type: "section",
      block_id: "approval.summary",
      text: { type: "mrkdwn", text: `:raised_hand: ${publicApprovalText(prompt)}`.slice(0, 3000) },
    },
    decisionButtons(prompt, { blockId: "approval.decision", details: false }),
  ];
}

/** For the deciders only: what would leave and to whom, when the call moves data across an audience. */
function flowBlocks(prompt: ApprovalPrompt) {
  return (prompt.flows ?? []).map((flow, index) => ({
    type: "section",
    block_id: `approval.flow.${index}`,
    text: {
      type: "mrkdwn",
      text: `*Sends to:* ${flow.audience}\n*Why I ask:* ${escapeText(flow.reason)}\n*What leaves:*\n${codeBlock(flow.preview)}`.slice(
        0,
        3000,
      ),
    },
  }));
}

export function approvalBlocks(prompt: ApprovalPrompt) {
  const argumentsText = prettyArguments(prompt.arguments);
  const clipped = argumentsText.length > previewLimit;
  const summary = omissionClip(prompt.summary, summaryLimit);
  const target = approvalTarget(prompt.arguments);
  const fields = [
    { type: "mrkdwn", text: `*Tool*\n\`${escapeText(prompt.tool)}\`` },
    ...(target ? [{ type: "mrkdwn", text: `*Target*\n${target}`.slice(0, 2000) }] : []),
  ];
  return [
    {
      type: "section",
      block_id: "approval.summary",
      text: {
        type: "mrkdwn",
        text: `:raised_hand: *I need approval before I do this:*\n${withRealChannelNames(summary.shown)}${summary.note}`,
      },
    },
    ...flowBlocks(prompt),
    { type: "section", block_id: "approval.facts", fields },
    {
      type: "section",
      block_id: "approval.arguments",
      text: {
        type: "mrkdwn",
        text: `*Arguments*${clipped ? " (shortened)" : ""}\n${codeBlock(clipped ? `${argumentsText.slice(0, previewLimit)}\n…` : argumentsText)}${clipped ? `\n${notShown(argumentsText.length - previewLimit)} Press *Full arguments* to read them all before deciding.` : ""}`,
      },
    },
    {
      type: "context",
      elements: [{ type: "mrkdwn", text: `Can decide: ${mentions(prompt.approvers)}`.slice(0, 3000) }],
    },
    decisionButtons(prompt, { blockId: "approval.decision", details: clipped }),
  ];
}

/** Approve and Deny (and "Full arguments"): the same buttons in the thread and in App Home. */
export function decisionButtons(
  prompt: { approvalId: string; token: string },
  options: { blockId: string; details: boolean },
) {
  const value = approvalButtonValue(prompt);
  return {
    type: "actions",
    block_id: options.blockId,
    elements: [
      {
        type: "button",
        action_id: approvalActions.approve,
        style: "primary",
        text: { type: "plain_text", text: "Approve" },
        value,
      },
      {
        type: "button",
        action_id: approvalActions.deny,
        style: "danger",
        text: { type: "plain_text", text: "Deny" },
        value,
      },
      ...(options.details
        ? [
            {
              type: "button",
              action_id: approvalActions.details,
              text: { type: "plain_text", text: "Full arguments" },
              value,
            },
          ]
        : []),
    ],
  };
}

export interface DecisionShown {
  approved: boolean;
  /** Undefined when nobody decided (the request lapsed). */
  by: string | null | undefined;
  at: Date;
  reason?: string | null;
}

/** The approval message once decided: what it was about, and who decided when (no more buttons). */
export function decidedBlocks(prompt: { tool: string; summary: string }, decision: DecisionShown) {
  return [
    {
      type: "section",
      block_id: "approval.summary",
      text: {
        type: "mrkdwn",
        text: `\`${escapeText(prompt.tool)}\`: ${escapeText(prompt.summary)}`.slice(0, 3000),
      },
    },
    { type: "context", elements: [{ type: "mrkdwn", text: decisionLine(decision).slice(0, 3000) }] },
  ];
}

export function decisionLine(decision: DecisionShown): string {
  const verdict = decision.approved ? ":white_check_mark: Approved" : ":no_entry_sign: Denied";
  const who = decision.by ? ` by <@${decision.by}>` : "";
  const reason = decision.reason ? ` — "${escapeText(decision.reason)}"` : "";
  return `${verdict}${who} ${slackDate(decision.at)}${reason}`;
}

export function prettyArguments(value: unknown): string {
  return JSON.stringify(value ?? {}, null, 2) ?? "{}";
}

const targetKeys = [
  "url",
  "channel",
  "channel_id",
  "to",
  "recipient",
  "recipients",
  "email",
  "path",
  "file",
  "repository",
  "repo",
  "host",
  "calendar",
];

/** Where the action lands, from the arguments' usual names (a URL, a channel, a recipient, a path). */
export function approvalTarget(argumentsValue: unknown): string | undefined {
  if (typeof argumentsValue !== "object" || argumentsValue === null) return undefined;
  const record = argumentsValue as Record<string, unknown>;
  for (const key of targetKeys) {
    const value = record[key];
    const items = Array.isArray(value) ? value : [value];
    const texts = items.filter((item): item is string => typeof item === "string" && item !== "");
    if (texts.length > 0) return texts.slice(0, 5).map(linkish).join(", ");
  }
  return undefined;
}

function linkish(text: string): string {
  if (/^[CG][A-Z0-9]{6,}$/.test(text)) return `<#${text}>`;
  if (/^[UW][A-Z0-9]{6,}$/.test(text)) return `<@${text}>`;
  // `<#C123|general>`: the id alone, so Slack shows the channel's real name, not the chosen label.
  const reference = /^<([#@])([CGUW][A-Z0-9]{6,})(?:\|[^>]*)?>$/.exec(text);
  if (reference) return `<${reference[1]}${reference[2]}>`;
  return `\`${escapeText(text.slice(0, 200)).replaceAll("`", "'")}\``;
}

function notShown(characters: number): string {
  return `_… and ${characters} more character${characters === 1 ? "" : "s"} not shown._`;
}

/** The start of `text`, and a note saying how much was left out (empty when nothing was). */
function omissionClip(text: string, limit: number): { shown: string; note: string } {
  if (text.length <= limit) return { shown: text, note: "" };
  return { shown: `${text.slice(0, limit)}…`, note: `\n${notShown(text.length - limit)}` };
}

const channelReference = /<#([CG][A-Z0-9]{6,})(?:\|[^>]*)?>/g;

/** Escaped text in which `<#C123|label>` becomes `<#C123>`: Slack shows the channel's real name. */
export function withRealChannelNames(text: string): string {
  let result = "";
  let last = 0;
  for (const match of text.matchAll(channelReference)) {
    result += `${escapeText(text.slice(last, match.index))}<#${match[1]}>`;
    last = match.index + match[0].length;
  }
  return result + escapeText(text.slice(last));
}

function mentions(users: string[]): string {
  return users.length ? users.map((user) => `<@${user}>`).join(", ") : "the requester";
}
