import { publishReaction } from "../../events/publish.js";
import { presentMessage } from "../../present/message.js";
import { conversationFor } from "../conversation-access.js";
import { authOf, type MethodCall, type MethodDefinition } from "../definition.js";
import { SlackMethodError } from "../method-error.js";
import { permalink } from "../permalink.js";

/** Emoji names go without colons (`thumbsup`, `+1`, `skin-tone-2`). */
const emojiName = /^[a-z0-9_+'-]+(::skin-tone-[2-6])?$/;

function reactionTarget(call: MethodCall) {
  const auth = authOf(call);
  if (!call.args.has("channel") || !call.args.has("timestamp"))
    throw new SlackMethodError("no_item_specified");
  const conversation = conversationFor(call.core, auth, call.args.requiredString("channel"), {
    requireMember: false,
  });
  const message = call.core.store.messages.find(conversation.id, call.args.requiredString("timestamp"));
  if (!message || message.orphan) throw new SlackMethodError("message_not_found");
  return { auth, message };
}

function reactionName(call: MethodCall): string {
  const name = call.args.requiredString("name");
  if (!emojiName.test(name)) throw new SlackMethodError("invalid_name");
  return name;
}

export const reactionMethods: MethodDefinition[] = [
  {
    name: "reactions.add",
    handle(call) {
      const name = reactionName(call);
      const { auth, message } = reactionTarget(call);
      if (!call.core.store.messages.addReaction(message, name, auth.install.botUserId)) {
        throw new SlackMethodError("already_reacted");
      }
      publishReaction(call.core, "reaction_added", message, auth.install.botUserId, name);
      return {};
    },
  },
  {
    name: "reactions.remove",
    handle(call) {
      const name = reactionName(call);
      const { auth, message } = reactionTarget(call);
      if (!call.core.store.messages.removeReaction(message, name, auth.install.botUserId)) {
        throw new SlackMethodError("no_reaction");
      }
      publishReaction(call.core, "reaction_removed", message, auth.install.botUserId, name);
      return {};
    },
  },
  {
    name: "reactions.get",
    handle(call) {
      const { message } = reactionTarget(call);
      return {
        type: "message",
        channel: message.channel,
        message: { ...presentMessage(call.core.present, message), permalink: permalink(call.core, message) },
      };
    },
  },
];
