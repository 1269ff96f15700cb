import { z } from "zod";
import { publicLabel } from "../../harness/labels.js";
import type { SlackClient } from "../../slack/clients.js";
import { defineTool, type Tool, type ToolContext, type ToolResult } from "../tool.js";
import { accessibleConversation } from "./access.js";
import { channelReference, slackTimestamp } from "./schemas.js";
import { slackClientOf } from "./services.js";
import { slackSink } from "./sinks.js";
import { accessDenied, platformError } from "./slack-errors.js";

const emojiName = z
  .string()
  .trim()
  .transform((value) => value.replace(/^:|:$/g, ""))
  .pipe(
    z
      .string()
      .regex(
        /^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/,
        "must be an emoji name like thumbsup or white_check_mark",
      ),
  )
  .describe("The emoji's name, without colons (thumbsup, eyes, white_check_mark)");

export const reactInThreadInput = z.object({
  message_ts: slackTimestamp.describe("The ts of a message in the thread you were asked in"),
  name: emojiName,
});

export const addReactionInput = z.object({
  channel: channelReference.describe("The message's channel: #name, <#C0123|name> or an id"),
  message_ts: slackTimestamp.describe("The ts of the message to react to"),
  name: emojiName,
});

export type ReactInThreadInput = z.infer<typeof reactInThreadInput>;
export type AddReactionInput = z.infer<typeof addReactionInput>;

/**
 * Reactions are two tools because approval is decided per tool: `react_in_thread` stays inside the
 * run's own thread (confined: no approval), `add_reaction` reaches any message the requester can see
 * (a write elsewhere: approval by default). Adding a reaction twice is harmless (`already_reacted`
 * counts as done), so after a crash the call is simply run again.
 */
export const reactInThreadTool: Tool<ReactInThreadInput> = defineTool<ReactInThreadInput>({
  name: "react_in_thread",
  description:
    "Add an emoji reaction to a message in the thread you were asked in (for example :white_check_mark: on a " +
    "request you handled). For messages elsewhere use add_reaction.",
  input: reactInThreadInput,
  risk: "write",
  confined: true,
  timeoutMs: 30_000,
  outputLimit: 1_000,
  summarize: (input) => `React :${input.name}: in this thread`,
  sinks: async (input, context) => [await slackSink(context, undefined, `:${input.name}:`)],
  async execute(input, context) {
    const client = await slackClientOf(context);
    if (!(await inOwnThread(client, context, input.message_ts))) {
      throw accessDenied(
        `Message ${input.message_ts} is not in the thread you were asked in; use add_reaction for other messages.`,
      );
    }
    return react(client, context.channel, input.message_ts, input.name, "this thread");
  },
  reconcile: async () => undefined,
});

export const addReactionTool: Tool<AddReactionInput> = defineTool<AddReactionInput>({
  name: "add_reaction",
  description:
    "Add an emoji reaction to a message in a channel you are in and the person who asked can see. Needs " +
    "approval unless the workspace allows it; in the thread you were asked in, use react_in_thread.",
  input: addReactionInput,
  risk: "write",
  timeoutMs: 30_000,
  outputLimit: 1_000,
  summarize: (input) => `React :${input.name}: to message ${input.message_ts} in ${input.channel}`,
  sinks: async (input, context) => [await slackSink(context, input.channel, `:${input.name}:`)],
  async execute(input, context) {
    const client = await slackClientOf(context);
    const conversation = await accessibleConversation(client, input.channel, context.userId);
    return react(client, conversation.id, input.message_ts, input.name, conversation.label);
  },
  reconcile: async () => undefined,
});

async function react(
  client: SlackClient,
  channel: string,
  ts: string,
  name: string,
  label: string,
): Promise<ToolResult> {
  try {
    await client.reactions.add({ channel, timestamp: ts, name });
  } catch (error) {
    if (platformError(error) === "message_not_found") {
      throw accessDenied(`There is no message ${ts} in ${label}.`);
    }
    if (platformError(error) !== "already_reacted") throw error;
  }
  return { content: `Reacted :${name}: to message ${ts} in ${label}.`, label: publicLabel };
}

/** The thread's first message, or a reply in it (checked in Slack: the log may lag). */
async function inOwnThread(client: SlackClient, context: ToolContext, ts: string): Promise<boolean> {
  if (ts === context.threadTs) return true;
  const page = await client.conversations.replies({
    channel: context.channel,
    ts: context.threadTs,
    oldest: ts,
    latest: ts,
    inclusive: true,
    limit: 10,
  });
  return (page.messages ?? []).some((message) => message.ts === ts);
}
