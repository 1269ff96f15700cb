import type { JsonObject } from "../state/types.js";

const token =
  /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|<#([CG][A-Z0-9]+)(?:\|[^>]*)?>|<(https?:\/\/[^>|]+)(?:\|([^>]*))?>/g;

/** The `rich_text` block Slack clients attach to what people type (mentions, channels, links). */
export function richTextBlocks(text: string, blockId: string): JsonObject[] {
  const elements: JsonObject[] = [];
  let last = 0;
  for (const match of text.matchAll(token)) {
    if (match.index > last) elements.push({ type: "text", text: text.slice(last, match.index) });
    if (match[1]) elements.push({ type: "user", user_id: match[1] });
    else if (match[2]) elements.push({ type: "channel", channel_id: match[2] });
    else if (match[3])
      elements.push({ type: "link", url: match[3], ...(match[4] ? { text: match[4] } : {}) });
    last = match.index + match[0].length;
  }
  if (last < text.length) elements.push({ type: "text", text: text.slice(last) });
  return [{ type: "rich_text", block_id: blockId, elements: [{ type: "rich_text_section", elements }] }];
}
