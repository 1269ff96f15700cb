import { performOnce } from "../harness/ledger.js";
import type { Database } from "../storage/database.js";
import type { SlackClient } from "./clients.js";
import type { FoundMessage } from "./thread-search.js";

/**
 * A direct message from the coworker to one person, exactly once per key (through the ledger; after a
 * crash the message is found again in the DM by the key in its metadata): how private content reaches
 * only the person it is for (an approval's arguments, an answer the thread may not see).
 */
export const privateMetadataType = "coworker_private";

export async function postPrivatelyOnce(
  options: { database: Database; client: SlackClient; runId: string },
  key: string,
  userId: string,
  message: { text: string; blocks?: unknown[] },
): Promise<{ ts: string; channel: string }> {
  const { database, client, runId } = options;
  const open = async () => {
    const opened = await client.conversations.open({ users: userId });
    if (!opened.channel?.id) throw new Error(`could not open a direct message with ${userId}`);
    return opened.channel.id;
  };
  const outcome = await performOnce(
    database,
    { key, runId, step: 0, callId: key, tool: "slack.direct_message", arguments: { user: userId } },
    {
      whenInterrupted: "reconcile",
      execute: async () => {
        const channel = await open();
        const response = await client.chat.postMessage({
          channel,
          text: message.text,
          ...(message.blocks ? { blocks: message.blocks as never } : {}),
          metadata: { event_type: privateMetadataType, event_payload: { key } },
          unfurl_links: false,
        });
        return { ts: response.ts ?? "", channel };
      },
      reconcile: async () => {
        const channel = await open();
        const page = await client.conversations.history({ channel, include_all_metadata: true, limit: 200 });
        const found = ((page.messages ?? []) as FoundMessage[]).find(
          (candidate) => candidate.metadata?.event_payload?.key === key,
        );
        return found?.ts ? { ts: found.ts, channel } : undefined;
      },
    },
  );
  if (outcome.status !== "done")
    throw new Error(`messaging ${userId} (${key}) failed: ${JSON.stringify(outcome)}`);
  return outcome.result as { ts: string; channel: string };
}
