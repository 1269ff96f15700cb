import type { RespondFn } from "@slack/bolt";
import type { Logger } from "../../logger.js";
import type { SlackClient } from "../clients.js";

/**
 * Tells one person something only they see: through the click's response_url when there is one (a
 * button in a message), else as an ephemeral message in the channel (a click in App Home or a dialog).
 */
export interface PrivateTarget {
  userId: string;
  respond?: RespondFn;
  channel?: string;
  threadTs?: string;
}

export async function tellPrivately(
  client: SlackClient,
  logger: Logger,
  target: PrivateTarget,
  text: string,
): Promise<void> {
  try {
    if (target.respond) {
      await target.respond({ response_type: "ephemeral", replace_original: false, text });
      return;
    }
    if (target.channel) {
      await client.chat.postEphemeral({
        channel: target.channel,
        user: target.userId,
        text,
        ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
      });
    }
  } catch (error) {
    logger.warn({ error: String(error), userId: target.userId }, "could not answer privately");
  }
}
