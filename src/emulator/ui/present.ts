import type { EmulatorCore } from "../core.js";
import type {
  AssistantThread,
  Conversation,
  Ephemeral,
  JsonObject,
  Message,
  StoredFile,
  User,
  View,
} from "../state/types.js";

/**
 * The JSON the web UI reads: the store's records, made serializable (no Sets, no file contents) and
 * with what a Slack client shows next to them (reply counts, file names).
 */
export function uiUser(user: User): JsonObject {
  return {
    id: user.id,
    name: user.name,
    realName: user.realName,
    displayName: user.displayName,
    tz: user.tz,
    isAdmin: user.isAdmin,
    isOwner: user.isOwner,
    isBot: user.isBot,
    botId: user.botId,
    deleted: user.deleted,
  };
}

export function uiConversation(conversation: Conversation): JsonObject {
  return {
    id: conversation.id,
    kind: conversation.kind,
    name: conversation.name,
    members: [...conversation.members],
    imUser: conversation.imUser,
    isGeneral: conversation.isGeneral,
    isArchived: conversation.isArchived,
    topic: conversation.topic,
    purpose: conversation.purpose,
  };
}

export function uiFile(file: StoredFile): JsonObject {
  return { id: file.id, name: file.name, title: file.title, mimetype: file.mimetype, length: file.length };
}

/** A message with its thread summary (for parents) and its files. */
export function uiMessage(core: EmulatorCore, message: Message): JsonObject {
  const isParent = message.threadTs === message.ts;
  const replies = isParent ? core.store.messages.replies(message.channel, message.ts) : [];
  return {
    teamId: message.teamId,
    channel: message.channel,
    ts: message.ts,
    threadTs: message.threadTs,
    user: message.user,
    botId: message.botId,
    subtype: message.subtype,
    text: message.text,
    blocks: message.blocks,
    attachments: message.attachments,
    edited: message.edited,
    reactions: message.reactions,
    replyBroadcast: message.replyBroadcast,
    deleted: message.deleted,
    stream: message.stream ? { state: message.stream.state } : undefined,
    display: message.display,
    assistantThread: message.assistantThread,
    files: message.fileIds.flatMap((id) => {
      const file = core.store.file(id);
      return file ? [uiFile(file)] : [];
    }),
    replyCount: replies.length,
    latestReply: replies.at(-1)?.ts,
  };
}

export function uiEphemeral(ephemeral: Ephemeral): JsonObject {
  return {
    teamId: ephemeral.teamId,
    channel: ephemeral.channel,
    ts: ephemeral.ts,
    threadTs: ephemeral.threadTs,
    user: ephemeral.user,
    botId: ephemeral.botId,
    text: ephemeral.text,
    blocks: ephemeral.blocks,
    deleted: ephemeral.deleted,
    ephemeral: true,
  };
}

export function uiView(view: View): JsonObject {
  return {
    id: view.id,
    teamId: view.teamId,
    userId: view.userId,
    kind: view.kind,
    definition: view.definition,
    hash: view.hash,
    stateValues: view.stateValues,
    errors: view.errors,
    open: view.open,
    updated: view.updated,
  };
}

/** Slack clears an assistant status two minutes after it was set if no reply came. */
const assistantStatusLifetimeMs = 2 * 60 * 1000;

export function uiAssistantThread(thread: AssistantThread, now: number): JsonObject {
  const expired = thread.statusSetAt !== undefined && now - thread.statusSetAt > assistantStatusLifetimeMs;
  return expired ? { ...thread, status: undefined, loadingMessages: undefined } : { ...thread };
}
