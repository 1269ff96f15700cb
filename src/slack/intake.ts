import { jobId } from "../queue/catalog.js";
import type { Queues } from "../queue/queues.js";
import type { Database } from "../storage/database.js";

/**
 * Turns a Slack message into durable work: persist, then enqueue. Exactly one run per request: the
 * event id is recorded once (Slack retries reuse it), and a run is unique per (workspace, channel,
 * ts) (a channel mention arrives as both app_mention and message). The job id is derived from the run,
 * so enqueueing twice adds one job.
 */
export interface IncomingMessage {
  eventId: string;
  kind: "app_mention" | "message";
  workspaceId: string;
  channel: string;
  channelType: string | undefined;
  user: string;
  text: string;
  ts: string;
  threadTs: string | undefined;
  /** True when the text mentions the bot. */
  mentionsBot: boolean;
}

export type IntakeResult =
  | { type: "duplicate" }
  | { type: "ignored" }
  | { type: "started"; runId: string }
  | { type: "steering"; runId: string }
  /** Someone other than the task's requester replied: kept as context for the model, nothing more. */
  | { type: "observed"; requesterId: string };

const activeStatuses = ["queued", "running", "waiting_approval", "waiting_input"];

export async function acceptMessage(
  services: { database: Database; queues: Queues },
  message: IncomingMessage,
): Promise<IntakeResult> {
  const { database } = services;
  const fresh = await database.slackEvent.createMany({
    data: [{ id: message.eventId, workspaceId: message.workspaceId, kind: message.kind }],
    skipDuplicates: true,
  });
  if (fresh.count === 0) {
    // A redelivery: if the first delivery stored the run but died before enqueueing it, enqueue it now
    // (the job id is the run's, so this adds nothing when the job exists).
    const existing = await database.run.findUnique({
      where: {
        workspaceId_channel_triggerTs: {
          workspaceId: message.workspaceId,
          channel: message.channel,
          triggerTs: message.ts,
        },
      },
    });
    if (existing) {
      if (existing.status === "queued") await enqueueRun(services.queues, existing.id, "start");
      return { type: "duplicate" };
    }
    // The first delivery failed before its run was stored: handle it again (all of it is idempotent).
  }

  const threadTs = message.threadTs ?? message.ts;
  const isDirect = message.channelType === "im";
  // A reply is stored before its thread's task is looked up: a reply can overtake the mention that
  // starts the thread (the mention's delivery failed and Slack retries it), and its run takes the
  // reply as steering once it exists. Replies in threads that never become tasks are forgotten after
  // a while (forgetUnclaimedReplies).
  const isReply = message.threadTs !== undefined && message.threadTs !== message.ts;
  if (isReply) await storeThreadMessage(database, message, threadTs);
  // A mention asks; in a DM, a message outside a conversation we are in asks. Anything else in a
  // thread we take part in steers the running task, or continues the finished one.
  const mentions = message.kind === "app_mention" || message.mentionsBot;
  const task = mentions
    ? null
    : await database.task.findUnique({
        where: {
          workspaceId_channel_threadTs: {
            workspaceId: message.workspaceId,
            channel: message.channel,
            threadTs,
          },
        },
      });
  const asks = mentions || (isDirect && !task);
  if (task && !asks) {
    const active = await database.run.findFirst({
      where: { taskId: task.id, status: { in: activeStatuses } },
      orderBy: { createdAt: "desc" },
    });
    // Only a run's requester steers it or answers its questions; anyone else's reply reaches the
    // model as fenced context (src/harness/steering.ts) and wakes nothing.
    if (active && active.requesterId !== message.user) {
      return { type: "observed", requesterId: active.requesterId };
    }
    if (active) {
      if (active.status === "waiting_input")
        await enqueueRun(services.queues, active.id, `reply-${message.ts}`);
      return { type: "steering", runId: active.id };
    }
    // A finished task continues for someone who asked in it (as them); others mention us instead.
    const asked = await database.run.findFirst({
      where: { taskId: task.id, requesterId: message.user },
      select: { id: true },
    });
    if (!asked) {
      const latest = await database.run.findFirst({
        where: { taskId: task.id },
        orderBy: { createdAt: "desc" },
        select: { requesterId: true },
      });
      return { type: "observed", requesterId: latest?.requesterId ?? task.requesterId };
    }
  }
  if (!task && !asks) return { type: "ignored" };

  const runId = await createRun(database, message, threadTs, isDirect ? "dm" : "mention");
  await enqueueRun(services.queues, runId, "start");
  return { type: "started", runId };
}

/** Creates the task (once per thread) and the run (once per triggering message). */
export async function createRun(
  database: Database,
  message: Pick<IncomingMessage, "workspaceId" | "channel" | "user" | "text" | "ts">,
  threadTs: string,
  source: string,
  scheduleId?: string,
): Promise<string> {
  // createMany skips an existing row, where connectOrCreate races when first requests arrive together.
  await database.workspace.createMany({ data: [{ id: message.workspaceId }], skipDuplicates: true });
  const thread = { workspaceId: message.workspaceId, channel: message.channel, threadTs };
  await database.task.createMany({
    data: [{ ...thread, requesterId: message.user, source, title: message.text.slice(0, 80) }],
    skipDuplicates: true,
  });
  const task = await database.task.findUniqueOrThrow({ where: { workspaceId_channel_threadTs: thread } });
  const key = { workspaceId: message.workspaceId, channel: message.channel, triggerTs: message.ts };
  try {
    const run = await database.run.create({
      data: { ...key, taskId: task.id, requesterId: message.user, prompt: message.text, scheduleId },
    });
    return run.id;
  } catch (error) {
    // It exists: a redelivery, or the twin event (app_mention vs message) created it first.
    const again = await database.run.findUnique({ where: { workspaceId_channel_triggerTs: key } });
    if (again) return again.id;
    throw error;
  }
}

export async function enqueueRun(queues: Queues, runId: string, reason: string): Promise<void> {
  await queues.enqueue(
    "run.execute",
    { runId, reason: reason === "start" ? "start" : "resume" },
    { jobId: jobId("run", runId, reason) },
  );
}

async function storeThreadMessage(
  database: Database,
  message: IncomingMessage,
  threadTs: string,
): Promise<void> {
  await database.threadMessage.createMany({
    data: [
      {
        workspaceId: message.workspaceId,
        channel: message.channel,
        threadTs,
        ts: message.ts,
        userId: message.user,
        text: message.text,
      },
    ],
    skipDuplicates: true,
  });
}

/**
 * How long a reply in a thread with no task is kept at least: longer than Slack retries a mention
 * (about 6 minutes). Workers delete older ones every 10 minutes.
 */
export const unclaimedReplyRetentionMs = 15 * 60_000;

/** Deletes stored replies whose thread never became a task (see acceptMessage). */
export async function forgetUnclaimedReplies(
  services: { database: Database; now(): number },
  olderThanMs = unclaimedReplyRetentionMs,
): Promise<number> {
  const before = new Date(services.now() - olderThanMs);
  return services.database.$executeRaw`
    DELETE FROM "ThreadMessage" AS m
    WHERE m."createdAt" < ${before}
      AND NOT EXISTS (
        SELECT 1 FROM "Task" AS t
        WHERE t."workspaceId" = m."workspaceId" AND t."channel" = m."channel" AND t."threadTs" = m."threadTs"
      )`;
}
