import type { SlackClient } from "../../slack/clients.js";
import { accessDenied, platformError } from "./slack-errors.js";

/**
 * Which conversations a run may touch: those the coworker is a member of AND the requester may see.
 * Public channels: any member of the workspace may see them (guests only the ones they are in);
 * private channels and group DMs: the requester must be a member; direct messages: only the
 * requester's own DM with the coworker. Everything is checked with the bot's own token, live.
 */
export interface AccessibleConversation {
  id: string;
  /** For people and the model: "#general", "#secret-project" or "your direct messages with me". */
  label: string;
  kind: "channel" | "private" | "im" | "mpim";
}

const conversationIdPattern = /^[CGD][A-Z0-9]{2,}$/;
const userIdPattern = /^[UW][A-Z0-9]{2,}$/;

/** `<#C123|name>`, `#name`, `name`, `C123`; `<@U123>` or `U123` names a person. */
export function parseReference(reference: string): { conversation: string } | { user: string } {
  const trimmed = reference.trim();
  const channelLink = /^<#([A-Z0-9]+)(\|[^>]*)?>$/.exec(trimmed);
  if (channelLink?.[1]) return { conversation: channelLink[1] };
  const userLink = /^<@([A-Z0-9]+)(\|[^>]*)?>$/.exec(trimmed);
  if (userLink?.[1]) return { user: userLink[1] };
  if (userIdPattern.test(trimmed)) return { user: trimmed };
  return { conversation: trimmed.replace(/^#/, "") };
}

export async function accessibleConversation(
  client: SlackClient,
  reference: string,
  requesterId: string,
): Promise<AccessibleConversation> {
  const id = await conversationId(client, reference, requesterId);
  let channel: Awaited<ReturnType<SlackClient["conversations"]["info"]>>["channel"];
  try {
    channel = (await client.conversations.info({ channel: id })).channel;
  } catch (error) {
    if (platformError(error) === "channel_not_found") throw notFound(reference);
    throw error;
  }
  if (!channel) throw notFound(reference);
  if (channel.is_im) {
    // A DM's `user` is in conversations.info's answer though the SDK's Channel type leaves it out.
    if ((channel as { user?: string }).user !== requesterId) {
      throw accessDenied("That is a direct message between me and someone else: I can't use it for you.");
    }
    return { id, label: "your direct messages with me", kind: "im" };
  }
  const label = channel.name ? `#${channel.name}` : id;
  if (!channel.is_member) {
    throw accessDenied(
      `I'm not a member of ${label}, so I can't use it. Someone in it can add me with /invite.`,
    );
  }
  const secret = Boolean(channel.is_private || channel.is_mpim || channel.is_group);
  if (secret || (await isGuest(client, requesterId))) {
    if (!(await isMember(client, id, requesterId))) {
      throw accessDenied(`${label} is not visible to the person who asked, so I can't use it for them.`);
    }
  }
  return { id, label, kind: channel.is_mpim ? "mpim" : secret ? "private" : "channel" };
}

/** Whether `userId` is in the conversation (paged through conversations.members). */
export async function isMember(client: SlackClient, channel: string, userId: string): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await client.conversations.members({ channel, limit: 1000, cursor });
    if (page.members?.includes(userId)) return true;
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return false;
}

async function isGuest(client: SlackClient, userId: string): Promise<boolean> {
  const { user } = await client.users.info({ user: userId });
  return Boolean(user?.is_restricted || user?.is_ultra_restricted);
}

async function conversationId(client: SlackClient, reference: string, requesterId: string): Promise<string> {
  const parsed = parseReference(reference);
  if ("user" in parsed) {
    if (parsed.user !== requesterId) {
      throw accessDenied("I can only use the direct messages between me and the person who asked.");
    }
    const opened = await client.conversations.open({ users: parsed.user });
    if (!opened.channel?.id) throw notFound(reference);
    return opened.channel.id;
  }
  if (conversationIdPattern.test(parsed.conversation)) return parsed.conversation;
  return channelIdByName(client, parsed.conversation, reference);
}

/** Channel names are resolved among the conversations the bot can list (public ones and its own). */
async function channelIdByName(client: SlackClient, name: string, reference: string): Promise<string> {
  const wanted = name.toLowerCase();
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await client.conversations.list({
      types: "public_channel,private_channel",
      exclude_archived: true,
      limit: 1000,
      cursor,
    });
    const found = page.channels?.find((channel) => channel.name?.toLowerCase() === wanted);
    if (found?.id) return found.id;
    cursor = page.response_metadata?.next_cursor || undefined;
    pages += 1;
  } while (cursor && pages < 20);
  throw notFound(reference);
}

function notFound(reference: string) {
  return accessDenied(
    `I can't find a conversation "${reference}" that I'm in. Use a channel name like #general or an id like C0123.`,
  );
}
