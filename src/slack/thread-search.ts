import type { SlackClient } from "./clients.js";

/**
 * Finds one of our messages in a thread (by its metadata key, or an attached file's name): how a post
 * interrupted by a crash is recognised instead of being sent again.
 */
export interface FoundMessage {
  ts?: string;
  metadata?: { event_payload?: { key?: string } };
  files?: Array<{ name?: string }>;
}

export async function findInThread(
  client: SlackClient,
  thread: { channel: string; threadTs: string },
  matches: (message: FoundMessage) => boolean,
): Promise<{ ts: string } | undefined> {
  let cursor: string | undefined;
  do {
    const page = await client.conversations.replies({
      channel: thread.channel,
      ts: thread.threadTs,
      include_all_metadata: true,
      limit: 200,
      cursor,
    });
    for (const message of (page.messages ?? []) as FoundMessage[]) {
      if (message.ts && matches(message)) return { ts: message.ts };
    }
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return undefined;
}
