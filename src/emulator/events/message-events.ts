import type { PresentContext } from "../present/context.js";
import { presentMessage } from "../present/message.js";
import type { Conversation, JsonObject, Message } from "../state/types.js";

export function channelType(conversation: Conversation): string {
  return conversation.kind;
}

/** A `message` event (`message.channels`, `message.im`, ...) for a new message. */
export function messageEvent(
  context: PresentContext,
  message: Message,
  conversation: Conversation,
): JsonObject {
  return {
    ...presentMessage(context, message),
    channel: message.channel,
    event_ts: message.ts,
    channel_type: channelType(conversation),
  };
}

/** The `app_mention` event for a message that mentions the bot. */
export function appMentionEvent(context: PresentContext, message: Message): JsonObject {
  const { bot_profile: _profile, ...rest } = presentMessage(context, message);
  return { ...rest, type: "app_mention", channel: message.channel, event_ts: message.ts };
}

/** `message` with subtype `message_changed` (hidden), carrying the new and the previous message. */
export function messageChangedEvent(
  context: PresentContext,
  message: Message,
  previous: Message,
  conversation: Conversation,
  eventTs: string,
): JsonObject {
  return {
    type: "message",
    subtype: "message_changed",
    hidden: true,
    message: presentMessage(context, message),
    previous_message: presentMessage(context, previous),
    channel: message.channel,
    ts: eventTs,
    event_ts: eventTs,
    channel_type: channelType(conversation),
  };
}

/** `message` with subtype `message_deleted` (hidden). */
export function messageDeletedEvent(
  context: PresentContext,
  message: Message,
  conversation: Conversation,
  eventTs: string,
): JsonObject {
  return {
    type: "message",
    subtype: "message_deleted",
    hidden: true,
    deleted_ts: message.ts,
    previous_message: presentMessage(context, message),
    channel: message.channel,
    ts: eventTs,
    event_ts: eventTs,
    channel_type: channelType(conversation),
  };
}

export function reactionEvent(
  type: "reaction_added" | "reaction_removed",
  message: Message,
  user: string,
  name: string,
  eventTs: string,
): JsonObject {
  return {
    type,
    user,
    reaction: name,
    item: { type: "message", channel: message.channel, ts: message.ts },
    ...(message.user ? { item_user: message.user } : {}),
    event_ts: eventTs,
  };
}

/** True when the text mentions the user (`<@U123>` or `<@U123|name>`). */
export function mentions(text: string, userId: string): boolean {
  return new RegExp(`<@${userId}(\\|[^>]*)?>`).test(text);
}
