import { postMessage, updateMessage } from "../../messaging.js";
import { presentMessage } from "../../present/message.js";
import type { JsonObject, Message } from "../../state/types.js";
import type { MethodArguments } from "../arguments.js";
import { validateBlocks } from "../blocks.js";
import { conversationFor } from "../conversation-access.js";
import { authOf, type MethodCall, type MethodDefinition } from "../definition.js";
import { maxMarkdownLength, parseMetadata } from "../message-input.js";
import { SlackMethodError } from "../method-error.js";
import { threadTsArgument } from "./chat.js";

/** `markdown_text` and `chunks` as chunk objects; the text they add to the message. */
function streamChunks(args: MethodArguments): { chunks: JsonObject[]; text: string } {
  const chunks: JsonObject[] = [];
  const markdown = args.string("markdown_text");
  if (markdown !== undefined) {
    if (markdown.length > maxMarkdownLength) throw new SlackMethodError("msg_too_long");
    chunks.push({ type: "markdown_text", text: markdown });
  }
  const extra = args.json("chunks", "invalid_chunks");
  if (extra !== undefined) {
    if (!Array.isArray(extra))
      throw new SlackMethodError("invalid_chunks", ["[ERROR] chunks must be an array"]);
    for (const chunk of extra) {
      if (typeof chunk !== "object" || chunk === null || typeof (chunk as JsonObject).type !== "string") {
        throw new SlackMethodError("invalid_chunks", ["[ERROR] every chunk needs a type"]);
      }
      chunks.push(chunk as JsonObject);
    }
  }
  const text = chunks
    .filter((chunk) => chunk.type === "markdown_text" && typeof chunk.text === "string")
    .map((chunk) => chunk.text as string)
    .join("");
  return { chunks, text };
}

/** The streaming message an append/stop names, with Slack's streaming-state errors. */
function streamingMessage(call: MethodCall): Message {
  const auth = authOf(call);
  const conversation = conversationFor(call.core, auth, call.args.requiredString("channel"), {
    requireMember: true,
  });
  const message = call.core.store.messages.find(conversation.id, call.args.requiredString("ts"));
  if (!message) throw new SlackMethodError("message_not_found");
  if (message.botId !== auth.install.botId) throw new SlackMethodError("message_not_owned_by_app");
  if (message.stream?.stoppedByUser) throw new SlackMethodError("stopped_by_user");
  if (message.stream?.state !== "streaming") throw new SlackMethodError("message_not_in_streaming_state");
  return message;
}

export const streamMethods: MethodDefinition[] = [
  {
    name: "chat.startStream",
    handle(call) {
      const auth = authOf(call);
      const { core, args } = call;
      const conversation = conversationFor(core, auth, args.requiredString("channel"), {
        requireMember: true,
      });
      const recipientUserId = args.string("recipient_user_id");
      const recipientTeamId = args.string("recipient_team_id");
      if (conversation.kind !== "im") {
        if (!recipientUserId) throw new SlackMethodError("missing_recipient_user_id");
        if (!recipientTeamId) throw new SlackMethodError("missing_recipient_team_id");
      }
      if (recipientUserId && !core.store.directory.user(recipientUserId))
        throw new SlackMethodError("user_not_found");
      const { chunks, text } = streamChunks(args);
      const { message } = postMessage(
        core,
        {
          teamId: auth.team.id,
          channel: conversation.id,
          threadTs: threadTsArgument(args),
          user: auth.install.botUserId,
          botId: auth.install.botId,
          appId: core.app.id,
          text,
          stream: { state: "streaming", stoppedByUser: false, recipientUserId, recipientTeamId, chunks },
        },
        call.method,
      );
      return { channel: conversation.id, ts: message.ts };
    },
  },
  {
    name: "chat.appendStream",
    handle(call) {
      const message = streamingMessage(call);
      const { chunks, text } = streamChunks(call.args);
      if (chunks.length === 0) throw new SlackMethodError("no_text");
      const stream = message.stream as NonNullable<Message["stream"]>;
      call.core.store.messages.update(message, {
        text: message.text + text,
        stream: { ...stream, chunks: [...stream.chunks, ...chunks] },
      });
      return { channel: message.channel, ts: message.ts };
    },
  },
  {
    name: "chat.stopStream",
    handle(call) {
      const message = streamingMessage(call);
      const { chunks, text } = streamChunks(call.args);
      const rawBlocks = call.args.json("blocks", "invalid_blocks_format");
      const blocks = rawBlocks === undefined ? undefined : validateBlocks(rawBlocks, { maxBlocks: 50 });
      const metadata = parseMetadata(call.args);
      const stream = message.stream as NonNullable<Message["stream"]>;
      updateMessage(call.core, message, {
        text: message.text + text,
        blocks: blocks ?? message.blocks,
        metadata: metadata ?? message.metadata,
        stream: { ...stream, state: "stopped", chunks: [...stream.chunks, ...chunks] },
      });
      return {
        channel: message.channel,
        ts: message.ts,
        message: presentMessage(call.core.present, message, { metadata: true }),
      };
    },
  },
];
