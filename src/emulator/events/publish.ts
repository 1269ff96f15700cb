import type { EmulatorCore } from "../core.js";
import type { EventSend } from "../delivery/deliverer.js";
import type { Conversation, JsonObject, Message } from "../state/types.js";
import { eventEnvelope } from "./envelope.js";
import {
  appMentionEvent,
  mentions,
  messageChangedEvent,
  messageDeletedEvent,
  messageEvent,
  reactionEvent,
} from "./message-events.js";

/** Sends one event to the app installed in `teamId` (nothing when it is not installed). */
export function publishEvent(core: EmulatorCore, teamId: string, event: JsonObject): EventSend | undefined {
  const install = core.store.directory.install(teamId);
  if (!install?.token) return undefined;
  const envelope = eventEnvelope(
    {
      appId: core.app.id,
      verificationToken: core.app.verificationToken,
      ids: core.ids,
      nowMs: core.now(),
    },
    install,
    event,
  );
  return core.deliverer.sendEvent(teamId, envelope);
}

/** Does the app see what happens in this conversation (is its bot a member, or is it the bot's DM)? */
function appSees(core: EmulatorCore, conversation: Conversation): boolean {
  const install = core.store.directory.install(conversation.teamId);
  return install?.token !== undefined && conversation.members.has(install.botUserId);
}

function isOwnMessage(core: EmulatorCore, message: Message): boolean {
  const install = core.store.directory.install(message.teamId);
  return message.botId !== undefined && message.botId === install?.botId;
}

/**
 * The events Slack sends for a new message: `message` (with `channel_type`) where the bot is a
 * member, and also `app_mention` when a person mentions the bot in a channel.
 */
export function publishMessagePosted(core: EmulatorCore, message: Message): EventSend[] {
  const conversation = core.store.directory.conversation(message.channel);
  if (!conversation || message.orphan || !appSees(core, conversation)) return [];
  if (isOwnMessage(core, message) && !core.options.echoBotMessages) return [];
  const install = core.store.directory.install(message.teamId);
  const sends: (EventSend | undefined)[] = [];
  const isPerson = message.botId === undefined;
  if (isPerson && conversation.kind !== "im" && install && mentions(message.text, install.botUserId)) {
    sends.push(publishEvent(core, message.teamId, appMentionEvent(core.present, message)));
  }
  sends.push(publishEvent(core, message.teamId, messageEvent(core.present, message, conversation)));
  return sends.filter((send): send is EventSend => send !== undefined);
}

export function publishMessageChanged(core: EmulatorCore, message: Message, previous: Message): EventSend[] {
  const conversation = core.store.directory.conversation(message.channel);
  if (!conversation || message.orphan || !appSees(core, conversation)) return [];
  const event = messageChangedEvent(core.present, message, previous, conversation, core.timestamps.next());
  const send = publishEvent(core, message.teamId, event);
  return send ? [send] : [];
}

export function publishMessageDeleted(core: EmulatorCore, message: Message): EventSend[] {
  const conversation = core.store.directory.conversation(message.channel);
  if (!conversation || message.orphan || !appSees(core, conversation)) return [];
  const event = messageDeletedEvent(core.present, message, conversation, core.timestamps.next());
  const send = publishEvent(core, message.teamId, event);
  return send ? [send] : [];
}

export function publishReaction(
  core: EmulatorCore,
  type: "reaction_added" | "reaction_removed",
  message: Message,
  user: string,
  name: string,
): EventSend[] {
  const conversation = core.store.directory.conversation(message.channel);
  if (!conversation || !appSees(core, conversation)) return [];
  const send = publishEvent(
    core,
    message.teamId,
    reactionEvent(type, message, user, name, core.timestamps.next()),
  );
  return send ? [send] : [];
}
