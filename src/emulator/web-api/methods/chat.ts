import { isTimestamp } from "../../clock.js";
import { deleteMessage, postMessage, updateMessage } from "../../messaging.js";
import { presentMessage } from "../../present/message.js";
import type { Message } from "../../state/types.js";
import type { MethodArguments } from "../arguments.js";
import { conversationFor } from "../conversation-access.js";
import { authOf, type MethodAuth, type MethodCall, type MethodDefinition } from "../definition.js";
import { parseMessageContent, withWarnings } from "../message-input.js";
import { SlackMethodError } from "../method-error.js";
import { permalink } from "../permalink.js";

/** A `thread_ts` argument; "" or "0" are `invalid_thread_ts` on Slack. */
export function threadTsArgument(args: MethodArguments): string | undefined {
  const value = args.raw.thread_ts;
  if (value === undefined || value === null) return undefined;
  const text = String(value);
  if (!isTimestamp(text)) {
    throw new SlackMethodError("invalid_thread_ts", [`[ERROR] ${text || '""'} is not a valid thread_ts`]);
  }
  return text;
}

export function displayOverrides(args: MethodArguments): Message["display"] {
  const username = args.string("username");
  const iconEmoji = args.string("icon_emoji");
  const iconUrl = args.string("icon_url");
  if (!username && !iconEmoji && !iconUrl) return undefined;
  return { username, iconEmoji, iconUrl };
}

/** The bot's own, non-deleted message, or the error Slack gives. */
export function ownMessage(
  call: MethodCall,
  auth: MethodAuth,
  channel: string,
  ts: string,
  action: "update" | "delete",
) {
  const message = call.core.store.messages.find(channel, ts);
  if (!message || message.orphan) throw new SlackMethodError("message_not_found");
  if (message.botId !== auth.install.botId) {
    throw new SlackMethodError(action === "update" ? "cant_update_message" : "cant_delete_message");
  }
  return message;
}

export const chatMethods: MethodDefinition[] = [
  {
    name: "chat.postMessage",
    handle(call) {
      const auth = authOf(call);
      const { core, args } = call;
      const conversation = conversationFor(core, auth, args.requiredString("channel"), {
        requireMember: true,
      });
      const threadTs = threadTsArgument(args);
      const content = parseMessageContent(args, { requireContent: true });
      const { message } = postMessage(
        core,
        {
          teamId: auth.team.id,
          channel: conversation.id,
          threadTs,
          user: auth.install.botUserId,
          botId: auth.install.botId,
          appId: core.app.id,
          text: content.text,
          blocks: content.blocks,
          attachments: content.attachments,
          metadata: content.metadata,
          replyBroadcast: threadTs !== undefined && args.boolean("reply_broadcast"),
          display: displayOverrides(args),
        },
        call.method,
      );
      return withWarnings(
        {
          channel: conversation.id,
          ts: message.ts,
          message: presentMessage(core.present, message, { metadata: true }),
        },
        content.warnings,
      );
    },
  },
  {
    name: "chat.update",
    handle(call) {
      const auth = authOf(call);
      const { core, args } = call;
      const conversation = conversationFor(core, auth, args.requiredString("channel"), {
        requireMember: false,
      });
      const message = ownMessage(call, auth, conversation.id, args.requiredString("ts"), "update");
      if (message.stream?.state === "streaming") throw new SlackMethodError("streaming_state_conflict");
      const content = parseMessageContent(args, { requireContent: false });
      const changes: Partial<Message> = {
        edited: { user: auth.install.botUserId, ts: core.timestamps.next() },
      };
      if (args.has("text") || args.has("markdown_text")) changes.text = content.text;
      if (content.blocks !== undefined)
        changes.blocks = content.blocks.length > 0 ? content.blocks : undefined;
      if (content.attachments !== undefined) changes.attachments = content.attachments;
      if (content.metadata !== undefined) changes.metadata = content.metadata;
      if (
        !args.has("text") &&
        !args.has("markdown_text") &&
        !args.has("blocks") &&
        !args.has("attachments")
      ) {
        throw new SlackMethodError("no_text");
      }
      updateMessage(core, message, changes);
      return withWarnings(
        {
          channel: conversation.id,
          ts: message.ts,
          text: message.text,
          message: presentMessage(core.present, message, { metadata: true }),
        },
        content.warnings,
      );
    },
  },
  {
    name: "chat.delete",
    handle(call) {
      const auth = authOf(call);
      const conversation = conversationFor(call.core, auth, call.args.requiredString("channel"), {
        requireMember: false,
      });
      const message = ownMessage(call, auth, conversation.id, call.args.requiredString("ts"), "delete");
      deleteMessage(call.core, message);
      return { channel: conversation.id, ts: message.ts };
    },
  },
  {
    name: "chat.postEphemeral",
    handle(call) {
      const auth = authOf(call);
      const { core, args } = call;
      const conversation = conversationFor(core, auth, args.requiredString("channel"), {
        requireMember: true,
      });
      const user = args.requiredString("user");
      if (!conversation.members.has(user)) throw new SlackMethodError("user_not_in_channel");
      const threadTs = threadTsArgument(args);
      const content = parseMessageContent(args, { requireContent: true });
      const ephemeral = core.store.messages.addEphemeral({
        teamId: auth.team.id,
        channel: conversation.id,
        user,
        ts: core.timestamps.next(),
        threadTs,
        text: content.text,
        blocks: content.blocks,
        botId: auth.install.botId,
        source: "chat.postEphemeral",
        deleted: false,
      });
      return withWarnings({ message_ts: ephemeral.ts }, content.warnings);
    },
  },
  {
    name: "chat.getPermalink",
    handle(call) {
      const auth = authOf(call);
      const conversation = conversationFor(call.core, auth, call.args.requiredString("channel"), {
        requireMember: false,
      });
      const message = call.core.store.messages.find(conversation.id, call.args.requiredString("message_ts"));
      if (!message || message.orphan) throw new SlackMethodError("message_not_found");
      return { channel: conversation.id, permalink: permalink(call.core, message) };
    },
  },
];
