import type { EmulatorCore } from "../core.js";
import { openDirectMessage } from "../seed.js";
import type { Conversation } from "../state/types.js";
import type { MethodAuth } from "./definition.js";
import { SlackMethodError } from "./method-error.js";

/**
 * Finds the conversation a bot token names, as Slack does: by id or name; a user id means the DM
 * with that user. Private conversations the bot is not in do not exist for it (`channel_not_found`);
 * with `requireMember`, public ones it is not in answer `not_in_channel`.
 */
export function conversationFor(
  core: EmulatorCore,
  auth: MethodAuth,
  reference: string,
  options: { requireMember: boolean },
): Conversation {
  const directory = core.store.directory;
  const user = directory.user(reference);
  if (user && user.teamId === auth.team.id && !user.isBot) {
    return openDirectMessage(core, auth.team.id, user.id);
  }
  const conversation = directory.findConversation(auth.team.id, reference);
  if (!conversation) throw new SlackMethodError("channel_not_found");
  const member = conversation.members.has(auth.install.botUserId);
  if (!member && conversation.kind !== "channel") throw new SlackMethodError("channel_not_found");
  if (!member && options.requireMember) throw new SlackMethodError("not_in_channel");
  if (conversation.isArchived && options.requireMember) throw new SlackMethodError("is_archived");
  return conversation;
}
