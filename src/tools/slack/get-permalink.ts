import { z } from "zod";
import { defineTool, type Tool } from "../tool.js";
import { accessibleConversation } from "./access.js";
import { channelReference, slackTimestamp } from "./schemas.js";
import { slackClientOf } from "./services.js";
import { slackLabel } from "./sinks.js";
import { accessDenied, platformError } from "./slack-errors.js";

export const getPermalinkInput = z.object({
  channel: channelReference
    .optional()
    .describe(
      "The message's channel: #name, <#C0123|name> or an id. Omit for the conversation you were asked in.",
    ),
  message_ts: slackTimestamp.describe("The ts of the message"),
});

export type GetPermalinkInput = z.infer<typeof getPermalinkInput>;

export const getPermalinkTool: Tool<GetPermalinkInput> = defineTool<GetPermalinkInput>({
  name: "get_permalink",
  description: "Get a link to a Slack message, to cite it in an answer or a message elsewhere.",
  input: getPermalinkInput,
  risk: "read",
  timeoutMs: 30_000,
  outputLimit: 1_000,
  summarize: (input) => `Get a link to message ${input.message_ts}`,
  async execute(input, context) {
    const client = await slackClientOf(context);
    const conversation = await accessibleConversation(
      client,
      input.channel ?? context.channel,
      context.userId,
    );
    try {
      const { permalink } = await client.chat.getPermalink({
        channel: conversation.id,
        message_ts: input.message_ts,
      });
      return {
        content: `Link to message ${input.message_ts} in ${conversation.label}: ${permalink}`,
        untrusted: true,
        label: slackLabel(conversation),
      };
    } catch (error) {
      if (platformError(error) === "message_not_found") {
        throw accessDenied(`There is no message ${input.message_ts} in ${conversation.label}.`);
      }
      throw error;
    }
  },
});
