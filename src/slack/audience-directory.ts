import type { AudienceDirectory, ConversationFacts } from "../harness/flow.js";
import type { SlackClient } from "./clients.js";

/**
 * What the information-flow rule needs to know about Slack conversations (their kind, whether they
 * are shared outside the workspace, who is in them), asked live with the bot's token and remembered
 * for the run. A conversation that cannot be looked up is unknown, and nothing private may reach it.
 */
export function slackAudienceDirectory(client: SlackClient): AudienceDirectory {
  const conversations = new Map<string, Promise<ConversationFacts | undefined>>();
  const memberLists = new Map<string, Promise<string[]>>();
  let botUser: Promise<string | undefined> | undefined;
  const self = () => {
    botUser ??= client.auth
      .test()
      .then((answer) => answer.user_id)
      .catch(() => undefined);
    return botUser;
  };

  async function lookUp(id: string): Promise<ConversationFacts | undefined> {
    try {
      const { channel } = await client.conversations.info({ channel: id });
      if (!channel) return undefined;
      const imUser = (channel as { user?: string }).user;
      const kind = channel.is_im
        ? "im"
        : channel.is_mpim
          ? "mpim"
          : channel.is_private || channel.is_group
            ? "private"
            : "channel";
      const shared = Boolean(
        channel.is_shared || channel.is_ext_shared || channel.is_org_shared || channel.is_pending_ext_shared,
      );
      return {
        id,
        kind,
        shared,
        name: kind === "im" ? "a direct message" : `#${channel.name ?? id}`,
        ...(imUser ? { imUser } : {}),
      };
    } catch {
      return undefined;
    }
  }

  async function listMembers(id: string): Promise<string[]> {
    const members: string[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await client.conversations.members({ channel: id, limit: 1000, cursor });
        members.push(...(page.members ?? []));
        cursor = page.response_metadata?.next_cursor || undefined;
      } while (cursor);
    } catch {
      return [];
    }
    const bot = await self();
    return members.filter((member) => member !== bot);
  }

  return {
    conversation(id) {
      let found = conversations.get(id);
      if (!found) {
        found = lookUp(id);
        conversations.set(id, found);
      }
      return found;
    },
    members(id) {
      let found = memberLists.get(id);
      if (!found) {
        found = listMembers(id);
        memberLists.set(id, found);
      }
      return found;
    },
  };
}
