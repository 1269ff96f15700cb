import type { ApprovalRequest } from "../../runs/approval-request.js";
import { approvalTarget, prettyArguments, withRealChannelNames } from "./approval.js";
import { clip, codeBlock, escapeText } from "./text.js";

/**
 * The dialogs behind the approval buttons: Deny asks for an optional reason (passed on to the model),
 * and "Full arguments" shows every argument of the call.
 */
export const denyDialog = { callbackId: "approval.deny", blockId: "reason", actionId: "reason" } as const;

/** What the deny dialog carries through Slack (private_metadata, at most 3000 characters). */
export interface DenyDialogState {
  approvalId: string;
  token: string;
  /** Where the click came from: a message (to answer there), or App Home (to refresh it). */
  channel?: string;
  messageTs?: string;
  threadTs?: string;
}

export function denyReasonModal(state: DenyDialogState, request: { tool: string; summary: string }) {
  return {
    type: "modal" as const,
    callback_id: denyDialog.callbackId,
    private_metadata: JSON.stringify(state),
    title: { type: "plain_text" as const, text: "Deny this action" },
    submit: { type: "plain_text" as const, text: "Deny" },
    close: { type: "plain_text" as const, text: "Cancel" },
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `\`${escapeText(request.tool)}\`: ${escapeText(request.summary)}`.slice(0, 3000),
        },
      },
      {
        type: "input",
        block_id: denyDialog.blockId,
        optional: true,
        label: { type: "plain_text", text: "Why not? (optional)" },
        hint: {
          type: "plain_text",
          text: "I'll take this into account and try another way, or ask you what to do.",
        },
        element: {
          type: "plain_text_input",
          action_id: denyDialog.actionId,
          multiline: true,
          max_length: 1000,
        },
      },
    ],
  };
}

export function parseDenyDialogState(text: string | undefined): DenyDialogState | undefined {
  try {
    const value: unknown = JSON.parse(text ?? "");
    if (typeof value !== "object" || value === null) return undefined;
    const state = value as Record<string, unknown>;
    if (typeof state.approvalId !== "string" || typeof state.token !== "string") return undefined;
    const optional = (key: string) => (typeof state[key] === "string" ? (state[key] as string) : undefined);
    return {
      approvalId: state.approvalId,
      token: state.token,
      channel: optional("channel"),
      messageTs: optional("messageTs"),
      threadTs: optional("threadTs"),
    };
  } catch {
    return undefined;
  }
}

const chunkLength = 2900;
const sectionLimit = 3000;
const maxChunks = 90;

/** Every argument, in code blocks of at most 3000 characters (a modal holds up to 100 blocks). */
export function argumentsModal(request: ApprovalRequest) {
  const text = prettyArguments(request.arguments);
  const chunks: string[] = [];
  let shown = 0;
  while (shown < text.length && chunks.length < maxChunks) {
    let length = chunkLength;
    // Escaping (&, <, >) makes text longer: shrink the chunk until its block fits.
    while (codeBlock(text.slice(shown, shown + length)).length > sectionLimit)
      length = Math.floor(length * 0.8);
    chunks.push(text.slice(shown, shown + length));
    shown += length;
  }
  const target = approvalTarget(request.arguments);
  return {
    type: "modal" as const,
    title: { type: "plain_text" as const, text: "Full arguments" },
    close: { type: "plain_text" as const, text: "Close" },
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `\`${escapeText(request.tool)}\`: ${withRealChannelNames(clip(request.summary, 2000))}${target ? `\nTarget: ${target}` : ""}`,
        },
      },
      ...chunks.map((chunk) => ({ type: "section", text: { type: "mrkdwn", text: codeBlock(chunk) } })),
      ...(shown < text.length
        ? [
            {
              type: "context",
              elements: [
                { type: "mrkdwn", text: `${text.length - shown} more characters are not shown here.` },
              ],
            },
          ]
        : []),
    ],
  };
}
