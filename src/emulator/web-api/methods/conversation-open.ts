import { presentConversation } from "../../present/conversation.js";
import { openDirectMessage } from "../../seed.js";
import type { Conversation } from "../../state/types.js";
import { conversationFor } from "../conversation-access.js";
import { authOf, type MethodDefinition } from "../definition.js";
import { SlackMethodError } from "../method-error.js";

/** conversations.open: the DM with one user, or a group DM (mpim) with several. */
export const openConversation: MethodDefinition = {
  name: "conversations.open",
  handle(call) {
    const auth = authOf(call);
    const { core, args } = call;
    const botUserId = auth.install.botUserId;
    let conversation: Conversation;
    if (args.has("channel")) {
      conversation = conversationFor(core, auth, args.requiredString("channel"), { requireMember: false });
    } else {
      const userIds = args.list("users");
      if (userIds.length === 0) throw new SlackMethodError("users_list_not_supplied");
      if (userIds.length > 8) throw new SlackMethodError("too_many_users");
      for (const userId of userIds) {
        const user = core.store.directory.user(userId);
        if (!user || user.teamId !== auth.team.id) throw new SlackMethodError("user_not_found");
        if (user.deleted) throw new SlackMethodError("user_disabled");
      }
      const [onlyUser] = userIds;
      if (userIds.length === 1 && onlyUser) {
        conversation = openDirectMessage(core, auth.team.id, onlyUser);
      } else {
        const members = new Set([...userIds, botUserId]);
        const existing = core.store.directory
          .conversationsOf(auth.team.id)
          .find(
            (candidate) =>
              candidate.kind === "mpim" &&
              candidate.members.size === members.size &&
              [...members].every((member) => candidate.members.has(member)),
          );
        conversation =
          existing ??
          core.store.directory.addConversation({
            id: core.ids.next("G"),
            teamId: auth.team.id,
            kind: "mpim",
            name: `mpdm-${[...members].join("--")}-1`,
            members,
            imUser: undefined,
            creator: botUserId,
            created: core.now(),
            isGeneral: false,
            isArchived: false,
            topic: "",
            purpose: "",
          });
      }
    }
    const full = args.boolean("return_im");
    return {
      channel: full ? presentConversation(conversation, { viewer: botUserId }) : { id: conversation.id },
    };
  },
};
