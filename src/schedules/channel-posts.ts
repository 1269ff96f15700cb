import type { SlackClient } from "../slack/clients.js";

/**
 * Top-level channel messages posted at most once. Each carries its idempotency key in Slack message
 * metadata; after a crash between posting and recording, the message is found again in the
 * channel's history by that key instead of being posted twice. History is read only on such a
 * retry (conversations.history is heavily rate limited for many apps).
 */
export const scheduleMetadataType = "coworker_schedule";

export interface ChannelPost {
  channel: string;
  text: string;
  blocks?: unknown[];
  key: string;
}

export async function postWithKey(client: SlackClient, post: ChannelPost): Promise<string> {
  const response = await client.chat.postMessage({
    channel: post.channel,
    text: post.text,
    ...(post.blocks ? { blocks: post.blocks as never } : {}),
    metadata: { event_type: scheduleMetadataType, event_payload: { key: post.key } },
    unfurl_links: false,
  });
  if (!response.ts) throw new Error(`chat.postMessage returned no ts for ${post.key}`);
  return response.ts;
}

/** The ts of the channel message carrying `key`, posted at or after `since`; undefined if none. */
export async function findPostByKey(
  client: SlackClient,
  channel: string,
  key: string,
  since: Date,
): Promise<string | undefined> {
  let cursor: string | undefined;
  // Five minutes' margin for clock skew between this process and Slack.
  const oldest = `${Math.max(0, Math.floor(since.getTime() / 1000) - 300)}.000000`;
  for (let page = 0; page < 20; page += 1) {
    const response = await client.conversations.history({
      channel,
      oldest,
      include_all_metadata: true,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    for (const message of response.messages ?? []) {
      const payload = (message as { metadata?: { event_payload?: { key?: unknown } } }).metadata
        ?.event_payload;
      if (payload?.key === key && message.ts) return message.ts;
    }
    cursor = response.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
}

/** Slack errors that no retry will fix: the channel is gone, archived, or the bot cannot post there. */
export function isPermanentPostError(error: unknown): boolean {
  const code = (error as { data?: { error?: unknown } } | undefined)?.data?.error;
  return (
    typeof code === "string" &&
    ["channel_not_found", "not_in_channel", "is_archived", "restricted_action", "invalid_auth"].includes(code)
  );
}
