import type { Database } from "../../storage/database.js";
import { type SlackMessage, selfAuthor } from "./message-format.js";

/**
 * The coworker's own log of the threads it takes part in (ThreadMessage rows, stored as events
 * arrive). Reading it costs no Web API call, which matters under Slack's history rate limits.
 */
export interface ThreadAddress {
  workspaceId: string;
  channel: string;
  threadTs: string;
}

/**
 * The whole thread from the log, when the log has all of it: the coworker was asked in the thread's
 * first message (a run was triggered by it), so it has stored every message since. Undefined otherwise.
 * Other apps' messages are not logged.
 */
export async function loggedThread(
  database: Database,
  thread: ThreadAddress,
): Promise<SlackMessage[] | undefined> {
  const task = await database.task.findUnique({
    where: { workspaceId_channel_threadTs: thread },
    include: { runs: { where: { triggerTs: thread.threadTs }, take: 1 } },
  });
  const rootRun = task?.runs[0];
  if (!task || !rootRun) return undefined;
  const rows = await database.threadMessage.findMany({
    where: thread,
    orderBy: { ts: "asc" },
    take: 1000,
  });
  const messages: SlackMessage[] = rows.map((row) => ({
    ts: row.ts,
    userId: row.botId ? undefined : (row.userId ?? undefined),
    botId: row.botId ? selfAuthor : undefined,
    text: row.text,
    threadTs: row.threadTs,
  }));
  if (!rows.some((row) => row.ts === thread.threadTs)) {
    messages.unshift({ ts: thread.threadTs, userId: task.requesterId, text: rootRun.prompt });
  }
  return messages;
}

/** Logged messages of a workspace containing every word, newest first. */
export async function searchLog(
  database: Database,
  workspaceId: string,
  words: string[],
  limit: number,
): Promise<Array<SlackMessage & { channel: string }>> {
  if (words.length === 0) return [];
  const rows = await database.threadMessage.findMany({
    where: {
      workspaceId,
      AND: words.map((word) => ({ text: { contains: word, mode: "insensitive" as const } })),
    },
    orderBy: { ts: "desc" },
    take: limit,
  });
  return rows.map((row) => ({
    channel: row.channel,
    ts: row.ts,
    userId: row.botId ? undefined : (row.userId ?? undefined),
    botId: row.botId ? selfAuthor : undefined,
    text: row.text,
    threadTs: row.threadTs,
  }));
}
