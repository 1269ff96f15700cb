import { z } from "zod";
import { defineTool, type Tool } from "../tool.js";
import { accessibleConversation } from "./access.js";
import { createNameCache, formatMessages, fromApi, type SlackMessage } from "./message-format.js";
import { loggedThread } from "./message-log.js";
import { slackTimestamp } from "./schemas.js";
import { slackClientOf } from "./services.js";
import { slackLabel } from "./sinks.js";

export const readMessagesInput = z.object({
  channel: z
    .string()
    .min(1)
    .optional()
    .describe("The channel: #name, <#C0123|name> or an id. Omit to use the conversation you were asked in."),
  thread_ts: slackTimestamp
    .optional()
    .describe(
      "The ts of a thread's first message, to read that thread. If both channel and thread_ts are omitted, " +
        "the thread you were asked in is read; with only a channel, its recent top-level messages are.",
    ),
  limit: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(20)
    .describe("How many of the newest messages to show (1-100, default 20)"),
});

export type ReadMessagesInput = z.infer<typeof readMessagesInput>;

/** Pages Slack returns at most per call; one call per tool use keeps within history rate limits. */
const threadPageSize = 200;

export const readMessagesTool: Tool<ReadMessagesInput> = defineTool<ReadMessagesInput>({
  name: "read_messages",
  description:
    "Read Slack messages: a thread (by its first message's ts), a channel's recent messages, or the thread " +
    "you were asked in. Shows each message's ts, time, author, text, files and reactions. Only channels you " +
    "are in and the person who asked can see.",
  input: readMessagesInput,
  risk: "read",
  timeoutMs: 60_000,
  outputLimit: 20_000,
  summarize: (input) =>
    input.thread_ts
      ? `Read a thread in ${input.channel ?? "this conversation"}`
      : `Read ${input.channel ?? "this thread"}`,
  async execute(input, context) {
    const client = await slackClientOf(context);
    const conversation = await accessibleConversation(
      client,
      input.channel ?? context.channel,
      context.userId,
    );
    const threadTs = input.thread_ts ?? (input.channel === undefined ? context.threadTs : undefined);
    let messages: SlackMessage[];
    let source = "Slack";
    let more = false;
    if (threadTs) {
      const database = context.services.database;
      const logged = database
        ? await loggedThread(database, {
            workspaceId: context.workspaceId,
            channel: conversation.id,
            threadTs,
          })
        : undefined;
      if (logged) {
        messages = logged;
        source = "your own log of this thread";
      } else {
        const page = await client.conversations.replies({
          channel: conversation.id,
          ts: threadTs,
          limit: threadPageSize,
        });
        messages = (page.messages ?? []).map(fromApi);
        more = Boolean(page.has_more);
      }
      more ||= messages.length > input.limit;
      messages = messages.slice(-input.limit);
    } else {
      const page = await client.conversations.history({ channel: conversation.id, limit: input.limit });
      messages = (page.messages ?? []).map(fromApi).reverse();
      more = Boolean(page.has_more);
    }
    const where = threadTs ? `the thread ${threadTs} in ${conversation.label}` : conversation.label;
    const header =
      `${messages.length} message${messages.length === 1 ? "" : "s"} from ${where}, oldest first ` +
      `(source: ${source}${more ? "; there are more messages than shown" : ""}):`;
    const body = messages.length ? await formatMessages(messages, createNameCache(client)) : "(none)";
    return { content: `${header}\n\n${body}`, untrusted: true, label: slackLabel(conversation) };
  },
});
