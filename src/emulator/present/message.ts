import type { JsonObject, Message } from "../state/types.js";
import type { PresentContext } from "./context.js";
import { presentFile } from "./file.js";

export interface PresentMessageOptions {
  /** `include_all_metadata`: add the message metadata. */
  metadata?: boolean;
  /** Add reply counts to thread parents (history/replies do, events do not). */
  threadSummary?: boolean;
}

/** The `bot_profile` Slack attaches to messages posted by an app's bot user. */
export function botProfile(context: PresentContext, message: Message): JsonObject | undefined {
  if (!message.botId) return undefined;
  return {
    id: message.botId,
    app_id: message.appId ?? context.app.id,
    name: context.app.name,
    icons: { image_36: "", image_48: "", image_72: "" },
    deleted: false,
    updated: 1700000000,
    team_id: message.teamId,
  };
}

/** A message as `conversations.history` / `.replies` / `chat.postMessage` return it. */
export function presentMessage(
  context: PresentContext,
  message: Message,
  options: PresentMessageOptions = {},
): JsonObject {
  const isReply = message.threadTs !== undefined && message.threadTs !== message.ts;
  const parent = isReply
    ? context.store.messages.find(message.channel, message.threadTs as string)
    : undefined;
  const result: JsonObject = {
    type: "message",
    ...(message.subtype ? { subtype: message.subtype } : {}),
    ...(message.subtype === "tombstone" ? { hidden: true } : {}),
    ...(message.user ? { user: message.user } : {}),
    ...(message.botId ? { bot_id: message.botId, app_id: message.appId } : {}),
    text: message.text,
    ts: message.ts,
    team: message.teamId,
    ...(message.clientMessageId ? { client_msg_id: message.clientMessageId } : {}),
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(message.attachments ? { attachments: message.attachments } : {}),
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    ...(isReply && parent?.user ? { parent_user_id: parent.user } : {}),
    ...(message.replyBroadcast ? { subtype: "thread_broadcast", root: parentSummary(parent) } : {}),
    ...(message.edited ? { edited: message.edited } : {}),
    ...(message.display?.username ? { username: message.display.username } : {}),
    ...(message.display?.iconEmoji ? { icons: { emoji: message.display.iconEmoji } } : {}),
    ...(message.display?.iconUrl ? { icons: { image_48: message.display.iconUrl } } : {}),
  };
  const profile = botProfile(context, message);
  if (profile) result.bot_profile = profile;
  if (message.fileIds.length > 0) {
    result.files = message.fileIds.flatMap((id) => {
      const file = context.store.file(id);
      return file ? [presentFile(file, context.baseUrl)] : [];
    });
    result.upload = true;
    result.display_as_bot = false;
  }
  if (message.reactions.length > 0) {
    result.reactions = message.reactions.map((reaction) => ({
      name: reaction.name,
      users: [...reaction.users],
      count: reaction.users.length,
    }));
  }
  if (message.assistantThread) {
    result.assistant_app_thread = {
      title: message.assistantThread.title ?? "",
      title_blocks: [],
      artifacts: [],
    };
  }
  if (options.metadata && message.metadata) result.metadata = message.metadata;
  if (options.threadSummary && message.threadTs === message.ts) {
    const replies = context.store.messages.replies(message.channel, message.ts);
    const replyUsers = [...new Set(replies.map((reply) => reply.user ?? reply.botId ?? ""))].filter(Boolean);
    result.reply_count = replies.length;
    result.reply_users_count = replyUsers.length;
    result.reply_users = replyUsers;
    result.latest_reply = replies.at(-1)?.ts ?? message.ts;
    result.is_locked = false;
    result.subscribed = false;
  }
  return result;
}

function parentSummary(parent: Message | undefined): JsonObject | undefined {
  if (!parent) return undefined;
  return { type: "message", text: parent.text, ts: parent.ts, user: parent.user, thread_ts: parent.ts };
}
