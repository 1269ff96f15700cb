import { createHash } from "node:crypto";
import { performOnce } from "../harness/ledger.js";
import type { ApprovalPrompt, RunProgress, RunThread, ThreadMessageKind } from "../harness/thread.js";
import type { Logger } from "../logger.js";
import { approvalRecordText } from "../runs/approval-request.js";
import type { Database } from "../storage/database.js";
import { approvalBlocks, publicApprovalBlocks, publicApprovalText } from "./blocks/approval.js";
import type { SlackClient } from "./clients.js";
import { type MessagePart, planAnswer, withoutStackTrace } from "./format.js";
import { postPrivatelyOnce } from "./private-post.js";
import { createStatusMessage } from "./status-message.js";
import { findInThread } from "./thread-search.js";

/**
 * A run's Slack thread. Every post goes through the ledger with a key carried in the message's
 * metadata: after a crash between posting and recording, the post is found again in the thread
 * instead of being sent twice, so a run has exactly one final answer. Long answers are split, and
 * very long ones attached as a file (also once). Progress goes to one status message, edited with
 * coalescing (./status-message.ts), and to the assistant status in DMs.
 */
export interface SlackThreadOptions {
  database: Database;
  client: SlackClient;
  logger: Logger;
  run: {
    id: string;
    workspaceId: string;
    channel: string;
    task: { threadTs: string };
    /** The message that started the run: recorded in the thread log for follow-ups' context. */
    triggerTs?: string;
    requesterId?: string;
    prompt?: string;
  };
  /** Minimum time between two edits of the status message. */
  statusIntervalMs?: number;
  /** Called once an approval message is posted (schedules its reminder, src/runs/approval-timers.ts). */
  onApprovalRequested?: (approvalId: string) => Promise<void>;
}

export const metadataType = "coworker_message";

export function createSlackThread(options: SlackThreadOptions): RunThread {
  const { database, client, run, logger } = options;
  const channel = run.channel;
  const threadTs = run.task.threadTs;

  async function postOnce(key: string, message: MessagePart | { text: string; blocks?: unknown[] }) {
    const outcome = await performOnce(
      database,
      { key, runId: run.id, step: 0, callId: key, tool: "slack.post", arguments: { channel, threadTs } },
      {
        whenInterrupted: "reconcile",
        execute: async () => {
          const response = await client.chat.postMessage({
            channel,
            thread_ts: threadTs,
            text: message.text,
            ...(message.blocks ? { blocks: message.blocks as never } : {}),
            metadata: { event_type: metadataType, event_payload: { key } },
            unfurl_links: false,
          });
          return { ts: response.ts ?? "" };
        },
        reconcile: () =>
          findInThread(client, { channel, threadTs }, (found) => found.metadata?.event_payload?.key === key),
      },
    );
    if (outcome.status !== "done") throw new Error(`posting ${key} failed: ${JSON.stringify(outcome)}`);
    return outcome.result as { ts: string };
  }

  /** Attaches a file to the thread once (found again by its unique name after a crash). */
  async function uploadOnce(key: string, file: { name: string; title: string; content: string }) {
    const outcome = await performOnce(
      database,
      { key, runId: run.id, step: 0, callId: key, tool: "slack.upload", arguments: { channel, threadTs } },
      {
        whenInterrupted: "reconcile",
        execute: async () => {
          await client.filesUploadV2({
            channel_id: channel,
            thread_ts: threadTs,
            filename: file.name,
            title: file.title,
            content: file.content,
          });
          return { name: file.name };
        },
        reconcile: () =>
          findInThread(client, { channel, threadTs }, (found) =>
            (found.files ?? []).some((attached) => attached.name === file.name),
          ),
      },
    );
    if (outcome.status !== "done") throw new Error(`uploading ${key} failed: ${JSON.stringify(outcome)}`);
  }

  /** The trigger is recorded before the run's first post, once per thread (not before every post). */
  let triggerRecorded = false;
  async function recordTriggerOnce() {
    if (triggerRecorded) return;
    await recordTrigger(database, run);
    triggerRecorded = true;
  }

  const status = createStatusMessage({
    database,
    client,
    logger,
    run,
    intervalMs: options.statusIntervalMs,
    post: async (message) => {
      await recordTriggerOnce();
      return postOnce(`${run.id}:status`, message);
    },
  });

  return {
    progress: (update: RunProgress) => status.update(update),
    async post(key, kind: ThreadMessageKind, text) {
      await recordTriggerOnce();
      const content = kind === "notice" ? withoutStackTrace(text) : text;
      const plan = planAnswer(content, fileName(key));
      const parts = plan.type === "messages" ? plan.parts : [plan.preview];
      let first: { ts: string } | undefined;
      for (const [index, part] of parts.entries()) {
        const posted = await postOnce(index === 0 ? key : `${key}:${index}`, part);
        first ??= posted;
        await recordOwnMessage(database, run, posted.ts, plan.type === "file" ? content : part.markdown);
      }
      if (plan.type === "file") await uploadOnce(`${key}:file`, plan.file);
      if (kind === "final" && first) {
        await database.run.update({ where: { id: run.id }, data: { finalMessageTs: first.ts } });
      }
      return first ?? { ts: "" };
    },
    async postPrivately(key, userId, text) {
      const posted = await postPrivatelyOnce({ database, client, runId: run.id }, key, userId, {
        text: text.slice(0, 39_000),
      });
      return { ts: posted.ts };
    },
    async requestApproval(key, prompt: ApprovalPrompt) {
      // The channel sees that a decision is awaited, never the arguments; the deciders get them privately.
      const posted = await postOnce(key, {
        text: publicApprovalText(prompt).slice(0, 3000),
        blocks: publicApprovalBlocks(prompt),
      });
      for (const approver of prompt.approvers) {
        await postPrivatelyOnce({ database, client, runId: run.id }, `${key}:to:${approver}`, approver, {
          text: `Approval needed: ${prompt.summary}`.slice(0, 3000),
          blocks: approvalBlocks(prompt),
        });
      }
      await recordOwnMessage(database, run, posted.ts, approvalRecordText(prompt.tool, `use ${prompt.tool}`));
      await options
        .onApprovalRequested?.(prompt.approvalId)
        .catch((error) =>
          logger.warn({ error: String(error), approvalId: prompt.approvalId }, "could not schedule reminder"),
        );
      return posted;
    },
  };
}

/** A file name unique to the post's key, so the upload can be found again after a crash. */
function fileName(key: string): string {
  return `answer-${createHash("sha256").update(key).digest("hex").slice(0, 8)}.md`;
}

/**
 * The message that started the run, in our log of the thread (whatever started the run: a mention,
 * a DM, a follow-up, a schedule): a follow-up run reads the whole conversation from there. Marked as
 * delivered to this run, so it is never taken as steering.
 */
async function recordTrigger(database: Database, run: SlackThreadOptions["run"]): Promise<void> {
  if (!run.triggerTs || !run.requesterId || run.prompt === undefined) return;
  await database.threadMessage.createMany({
    data: [
      {
        workspaceId: run.workspaceId,
        channel: run.channel,
        threadTs: run.task.threadTs,
        ts: run.triggerTs,
        userId: run.requesterId,
        text: run.prompt,
        deliveredToRunId: run.id,
      },
    ],
    skipDuplicates: true,
  });
  // A follow-up that started this run was stored when it arrived, not yet delivered to any run.
  await database.threadMessage.updateMany({
    where: { workspaceId: run.workspaceId, channel: run.channel, ts: run.triggerTs, deliveredToRunId: null },
    data: { deliveredToRunId: run.id },
  });
}

/** Our own messages are part of the thread's context for follow-ups. */
async function recordOwnMessage(
  database: Database,
  run: SlackThreadOptions["run"],
  ts: string,
  text: string,
): Promise<void> {
  await database.threadMessage.createMany({
    data: [
      {
        workspaceId: run.workspaceId,
        channel: run.channel,
        threadTs: run.task.threadTs,
        ts,
        botId: "self",
        text,
        deliveredToRunId: run.id,
      },
    ],
    skipDuplicates: true,
  });
}
