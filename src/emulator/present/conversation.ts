import type { Conversation, JsonObject } from "../state/types.js";

/** A conversation as `conversations.info` / `.list` / `.open` return it, seen by `viewer`. */
export function presentConversation(
  conversation: Conversation,
  options: { viewer: string; includeNumMembers?: boolean },
): JsonObject {
  const created = Math.floor(conversation.created / 1000);
  if (conversation.kind === "im") {
    return {
      id: conversation.id,
      created,
      is_im: true,
      is_org_shared: false,
      user: conversation.imUser,
      is_user_deleted: false,
      priority: 0,
      context_team_id: conversation.teamId,
    };
  }
  const text = (value: string) => ({
    value,
    creator: value ? conversation.creator : "",
    last_set: value ? created : 0,
  });
  return {
    id: conversation.id,
    name: conversation.name,
    name_normalized: conversation.name,
    is_channel: conversation.kind === "channel" || conversation.kind === "group",
    is_group: false,
    is_im: false,
    is_mpim: conversation.kind === "mpim",
    is_private: conversation.kind !== "channel",
    created,
    creator: conversation.creator,
    is_archived: conversation.isArchived,
    is_general: conversation.isGeneral,
    unlinked: 0,
    is_shared: false,
    is_ext_shared: false,
    is_org_shared: false,
    is_pending_ext_shared: false,
    pending_shared: [],
    context_team_id: conversation.teamId,
    updated: conversation.created,
    is_member: conversation.members.has(options.viewer),
    topic: text(conversation.topic),
    purpose: text(conversation.purpose),
    previous_names: [],
    ...(options.includeNumMembers ? { num_members: conversation.members.size } : {}),
  };
}
