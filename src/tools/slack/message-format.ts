import type { SlackClient } from "../../slack/clients.js";

/**
 * Messages rendered for the model: one block per message with its ts (to reply, react or link to
 * it), when it was sent, who sent it (name and id), its text, files and reactions.
 */
export interface SlackMessage {
  ts: string;
  userId?: string;
  botId?: string;
  text: string;
  threadTs?: string;
  replyCount?: number;
  files?: { id: string; name: string }[];
  reactions?: { name: string; count: number }[];
}

/** `botId` of the coworker's own messages in the log. */
export const selfAuthor = "self";

/** Names of people, looked up once per call (users.info is tier 4). */
export function createNameCache(client: SlackClient, maximumLookups = 30) {
  const names = new Map<string, Promise<string | undefined>>();
  return (userId: string): Promise<string | undefined> => {
    let name = names.get(userId);
    if (!name) {
      name =
        names.size >= maximumLookups
          ? Promise.resolve(undefined)
          : client.users
              .info({ user: userId })
              .then(({ user }) => user?.profile?.display_name || user?.real_name || user?.name || undefined)
              .catch(() => undefined);
      names.set(userId, name);
    }
    return name;
  };
}

export async function formatMessages(
  messages: SlackMessage[],
  nameOf: (userId: string) => Promise<string | undefined>,
): Promise<string> {
  const blocks: string[] = [];
  for (const message of messages) {
    const author = message.userId
      ? `${(await nameOf(message.userId)) ?? "unknown"} (<@${message.userId}>)`
      : message.botId === selfAuthor
        ? "you (Coworker)"
        : message.botId
          ? `an app (${message.botId})`
          : "unknown";
    const lines = [`[ts ${message.ts}, ${timeOf(message.ts)}] ${author}:`, message.text || "(no text)"];
    if (message.replyCount)
      lines.push(`(${message.replyCount} replies in its thread, thread_ts ${message.ts})`);
    if (message.files?.length) {
      lines.push(`Files: ${message.files.map((file) => `${file.name} (file_id ${file.id})`).join(", ")}`);
    }
    if (message.reactions?.length) {
      lines.push(`Reactions: ${message.reactions.map((item) => `:${item.name}: ${item.count}`).join(" ")}`);
    }
    blocks.push(lines.join("\n"));
  }
  return blocks.join("\n\n");
}

/** A message from the Web API (conversations.history/replies) in our shape. */
export function fromApi(message: {
  ts?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  thread_ts?: string;
  reply_count?: number;
  files?: { id?: string; name?: string }[];
  reactions?: { name?: string; count?: number }[];
}): SlackMessage {
  return {
    ts: message.ts ?? "",
    userId: message.user,
    botId: message.bot_id,
    text: message.text ?? "",
    threadTs: message.thread_ts,
    replyCount: message.reply_count,
    files: message.files?.map((file) => ({ id: file.id ?? "", name: file.name ?? "file" })),
    reactions: message.reactions?.map((reaction) => ({
      name: reaction.name ?? "",
      count: reaction.count ?? 0,
    })),
  };
}

function timeOf(ts: string): string {
  const seconds = Number(ts);
  return Number.isFinite(seconds)
    ? new Date(seconds * 1000).toISOString().replace(".000Z", "Z")
    : "unknown time";
}
