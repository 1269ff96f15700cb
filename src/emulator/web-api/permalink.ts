import type { EmulatorCore } from "../core.js";
import type { Message } from "../state/types.js";

/** `<base>/archives/C123/p1712345678000200`, with `?thread_ts=…&cid=…` for replies, as Slack builds them. */
export function permalink(core: EmulatorCore, message: Message): string {
  const path = `${core.urls.base}/archives/${message.channel}/p${message.ts.replace(".", "")}`;
  const isReply = message.threadTs !== undefined && message.threadTs !== message.ts;
  return isReply ? `${path}?thread_ts=${message.threadTs}&cid=${message.channel}` : path;
}
