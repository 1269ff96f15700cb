import type { SlackClient } from "../clients.js";
import { escapeText } from "./text.js";

/** A link to a message (a task's thread), or undefined when Slack will not give one. */
export async function permalinkOf(
  client: SlackClient,
  channel: string,
  ts: string,
): Promise<string | undefined> {
  try {
    const response = await client.chat.getPermalink({ channel, message_ts: ts });
    return response.permalink;
  } catch {
    return undefined;
  }
}

/** `<link|label>` when there is a link, else the label. */
export function linked(label: string, link: string | undefined): string {
  const text = escapeText(label.replace(/\s+/g, " ").trim() || "(no title)").replaceAll("|", "¦");
  return link ? `<${link}|${text}>` : text;
}
