import { z } from "zod";
import { publicLabel } from "../../harness/labels.js";
import type { SlackClient } from "../../slack/clients.js";
import { metadataType } from "../../slack/thread.js";
import { defineTool, type Tool, type ToolResult } from "../tool.js";
import { type AccessibleConversation, accessibleConversation, parseReference } from "./access.js";
import { slackTimestamp } from "./schemas.js";
import { slackClientOf } from "./services.js";
import { slackSink } from "./sinks.js";
import { accessDenied } from "./slack-errors.js";

export const postMessageInput = z.object({
  channel: z
    .string()
    .min(1)
    .describe(
      "Where to post: a channel (#name, <#C0123|name> or an id), or a person (<@U0123> or U0123) for a direct message",
    ),
  text: z
    .string()
    .trim()
    .min(1)
    .max(3000)
    .describe("The message, in Slack mrkdwn (*bold*, _italic_, <url|text>)"),
  thread_ts: slackTimestamp
    .optional()
    .describe("Reply in this thread (the ts of its first message) instead of posting at the top level"),
});

export type PostMessageInput = z.infer<typeof postMessageInput>;

/** Pages of history searched when reconciling a post after a crash. */
const reconcilePages = 3;

/**
 * Posts to another channel or a person's DM: a write outside the run's thread, so it waits for
 * approval unless the workspace's policy auto-approves it. The call's idempotency key travels in the
 * message metadata: after a crash between posting and recording, `reconcile` finds the message again.
 */
export const postMessageTool: Tool<PostMessageInput> = defineTool<PostMessageInput>({
  name: "post_message",
  description:
    "Post a message to another Slack channel or as a direct message to a person, on behalf of the person " +
    "who asked. Your answer in the current thread is posted automatically: use this only to reach other " +
    "places. Needs the person's approval unless the workspace allows it.",
  input: postMessageInput,
  risk: "write",
  timeoutMs: 60_000,
  outputLimit: 2_000,
  summarize: (input) => {
    const preview = input.text.length > 120 ? `${input.text.slice(0, 119)}…` : input.text;
    return `Post to ${input.channel}${input.thread_ts ? " (in a thread)" : ""}: "${preview}"`;
  },
  sinks: async (input, context) => [await slackSink(context, input.channel, input.text)],
  async execute(input, context) {
    const client = await slackClientOf(context);
    const target = await destination(client, input.channel, context.userId);
    const response = await client.chat.postMessage({
      channel: target.id,
      text: input.text,
      ...(input.thread_ts ? { thread_ts: input.thread_ts } : {}),
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: input.text } },
        {
          type: "context",
          elements: [{ type: "mrkdwn", text: `Sent by Coworker for <@${context.userId}>` }],
        },
      ],
      metadata: { event_type: metadataType, event_payload: { key: context.idempotencyKey } },
      unfurl_links: false,
    });
    return posted(target, response.ts ?? "");
  },
  async reconcile(input, context) {
    const client = await slackClientOf(context);
    const target = await destination(client, input.channel, context.userId);
    const ts = await findByKey(client, target.id, input.thread_ts, context.idempotencyKey);
    return ts ? posted(target, ts) : undefined;
  },
});

function posted(target: AccessibleConversation, ts: string): ToolResult {
  return { content: `Posted to ${target.label} (channel ${target.id}, ts ${ts}).`, label: publicLabel };
}

/** A channel the requester may see, or the DM with a person (anyone in the workspace may be messaged). */
async function destination(
  client: SlackClient,
  reference: string,
  requesterId: string,
): Promise<AccessibleConversation> {
  const parsed = parseReference(reference);
  if (!("user" in parsed)) return accessibleConversation(client, reference, requesterId);
  const { user } = await client.users.info({ user: parsed.user });
  if (!user || user.deleted) throw accessDenied(`There is no active person ${reference} in this workspace.`);
  if (user.is_bot)
    throw accessDenied(`${reference} is an app, not a person: I don't send it direct messages.`);
  const opened = await client.conversations.open({ users: parsed.user });
  if (!opened.channel?.id) throw accessDenied(`I could not open a direct message with ${reference}.`);
  return { id: opened.channel.id, label: `a direct message to <@${parsed.user}>`, kind: "im" };
}

async function findByKey(
  client: SlackClient,
  channel: string,
  threadTs: string | undefined,
  key: string,
): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < reconcilePages; page += 1) {
    const answer = threadTs
      ? await client.conversations.replies({
          channel,
          ts: threadTs,
          include_all_metadata: true,
          limit: 200,
          cursor,
        })
      : await client.conversations.history({ channel, include_all_metadata: true, limit: 200, cursor });
    for (const message of answer.messages ?? []) {
      const payload = (message as { metadata?: { event_payload?: { key?: unknown } } }).metadata
        ?.event_payload;
      if (payload?.key === key && message.ts) return message.ts;
    }
    cursor = answer.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
}
