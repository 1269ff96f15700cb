import type { Database } from "../storage/database.js";

/**
 * Messages people post in the thread while a run works (or after it asked a question) are stored as
 * they arrive (src/slack/intake.ts) and given to the model before its next call. Each is delivered to
 * exactly one run: the checkpoint that includes it marks it delivered in the same transaction.
 */
export interface SteeringMessage {
  id: string;
  content: string;
  /** Who wrote it and their words, for information flow (run-flow.ts). */
  userId: string | null;
  text: string;
}

export async function takeSteering(
  database: Database,
  run: { id: string; workspaceId: string; channel: string; triggerTs: string; task: { threadTs: string } },
): Promise<SteeringMessage[]> {
  const messages = await database.threadMessage.findMany({
    where: {
      workspaceId: run.workspaceId,
      channel: run.channel,
      threadTs: run.task.threadTs,
      deliveredToRunId: null,
      botId: null,
      ts: { gt: run.triggerTs },
    },
    orderBy: { ts: "asc" },
  });
  return messages.map((message) => ({
    id: message.id,
    content: `New message in the thread from <@${message.userId}> while you were working: ${message.text}`,
    userId: message.userId,
    text: message.text,
  }));
}
