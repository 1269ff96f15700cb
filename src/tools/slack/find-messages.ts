import { z } from "zod";
import { isCodedError } from "../../errors.js";
import { joinLabels } from "../../harness/labels.js";
import type { SlackClient } from "../../slack/clients.js";
import { defineTool, type Tool } from "../tool.js";
import { type AccessibleConversation, accessibleConversation } from "./access.js";
import { createNameCache, formatMessages, fromApi, type SlackMessage } from "./message-format.js";
import { searchLog } from "./message-log.js";
import { slackClientOf } from "./services.js";
import { slackLabel } from "./sinks.js";

export const findMessagesInput = z.object({
  query: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .describe("Words the messages must all contain (case-insensitive), e.g. `launch date`"),
  channel: z
    .string()
    .min(1)
    .optional()
    .describe(
      "A channel whose recent messages are searched too: #name, <#C0123|name> or an id. Default: the " +
        "conversation you were asked in.",
    ),
  limit: z.number().int().min(1).max(30).default(10).describe("How many matches to show (1-30, default 10)"),
});

export type FindMessagesInput = z.infer<typeof findMessagesInput>;

/** Messages read from the log, and conversations checked, per call. */
const logCandidates = 100;
const maximumChannels = 15;
const historyPage = 100;

export const findMessagesTool: Tool<FindMessagesInput> = defineTool<FindMessagesInput>({
  name: "find_messages",
  description:
    "Find Slack messages containing words: searches the threads you took part in across channels, and the " +
    "recent messages of one channel (the current one unless you name another). Returns matches newest first " +
    "with channel, ts and text; use read_messages with the thread_ts to see a whole thread.",
  input: findMessagesInput,
  risk: "read",
  timeoutMs: 60_000,
  outputLimit: 15_000,
  summarize: (input) => `Search Slack for "${input.query}"`,
  async execute(input, context) {
    const client = await slackClientOf(context);
    const words = input.query.toLowerCase().split(/\s+/).filter(Boolean).slice(0, 8);
    const matches = (text: string) => words.every((word) => text.toLowerCase().includes(word));
    // A refused channel is explained to the model (thrown), not silently searched less.
    const target = await accessibleConversation(client, input.channel ?? context.channel, context.userId);
    const access = accessCache(client, context.userId, target);

    const found = new Map<string, SlackMessage & { channel: string }>();
    const page = await client.conversations.history({ channel: target.id, limit: historyPage });
    for (const message of (page.messages ?? []).map(fromApi)) {
      if (matches(message.text)) found.set(`${target.id}:${message.ts}`, { ...message, channel: target.id });
    }
    const database = context.services.database;
    const logged = database ? await searchLog(database, context.workspaceId, words, logCandidates) : [];
    for (const message of logged) {
      if (!(await access(message.channel))) continue;
      found.set(`${message.channel}:${message.ts}`, message);
    }

    const results = [...found.values()].sort((a, b) => Number(b.ts) - Number(a.ts)).slice(0, input.limit);
    if (results.length === 0) {
      return {
        content: `No messages found containing "${input.query}".`,
        untrusted: true,
        label: slackLabel(target),
      };
    }
    const names = createNameCache(client);
    const sections: string[] = [];
    const labels = [slackLabel(target)];
    for (const message of results) {
      const conversation = await access(message.channel);
      labels.push(
        conversation ? slackLabel(conversation) : slackLabel({ id: message.channel, kind: "private" }),
      );
      const thread =
        message.threadTs && message.threadTs !== message.ts
          ? ` (reply in thread_ts ${message.threadTs})`
          : "";
      sections.push(
        `In ${conversation?.label ?? message.channel}${thread}:\n${await formatMessages([message], names)}`,
      );
    }
    return {
      content: `${results.length} message${results.length === 1 ? "" : "s"} containing "${input.query}", newest first:\n\n${sections.join("\n\n")}`,
      untrusted: true,
      label: joinLabels(...labels),
    };
  },
});

/** Access decisions per channel for one call (refusals remembered as undefined). */
function accessCache(client: SlackClient, userId: string, known: AccessibleConversation) {
  const decisions = new Map<string, Promise<AccessibleConversation | undefined>>([
    [known.id, Promise.resolve(known)],
  ]);
  return (channel: string): Promise<AccessibleConversation | undefined> => {
    let decision = decisions.get(channel);
    if (!decision) {
      decision =
        decisions.size >= maximumChannels
          ? Promise.resolve(undefined)
          : accessibleConversation(client, channel, userId).catch((error: unknown) => {
              if (isCodedError(error, "forbidden")) return undefined;
              throw error;
            });
      decisions.set(channel, decision);
    }
    return decision;
  };
}
