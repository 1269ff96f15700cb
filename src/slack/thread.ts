import { performOnce } from "../harness/ledger.js";
import type { ApprovalPrompt, RunProgress, RunThread, ThreadMessageKind } from "../harness/thread.js";
import type { Logger } from "../logger.js";
import type { Database } from "../storage/database.js";
import { approvalBlocks } from "./blocks/approval.js";
import { statusBlocks, statusText } from "./blocks/status.js";
import type { SlackClient } from "./clients.js";
import { formatAnswer } from "./format.js";

/**
 * A run's Slack thread. Every post goes through the ledger with a key carried in the message's
 * metadata: after a crash between posting and recording, the post is found again in the thread
 * instead of being sent twice. Status edits are coalesced: at most one edit per interval, and the
 * latest state always wins.
 */
export interface SlackThreadOptions {
  database: Database;
  client: SlackClient;
  logger: Logger;
  run: { id: string; workspaceId: string; channel: string; task: { threadTs: string } };
  viewUrl?: string;
  /** Minimum time between two edits of the status message. */
  statusIntervalMs?: number;
}

export const metadataType = "coworker_message";

export function createSlackThread(options: SlackThreadOptions): RunThread {
  const { database, client, run } = options;
  const channel = run.channel;
  const threadTs = run.task.threadTs;
  const interval = options.statusIntervalMs ?? 1500;
  let statusTs: string | undefined;
  let lastEdit = 0;
  let queued: RunProgress | undefined;
  let timer: NodeJS.Timeout | undefined;
  let editing: Promise<void> = Promise.resolve();

  async function postOnce(
    key: string,
    message: { text: string; blocks?: unknown[] },
  ): Promise<{ ts: string }> {
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
        reconcile: () => findByKey(client, channel, threadTs, key),
      },
    );
    if (outcome.status !== "done") throw new Error(`posting ${key} failed: ${JSON.stringify(outcome)}`);
    return outcome.result as { ts: string };
  }

  async function ensureStatus(progress: RunProgress): Promise<string> {
    if (statusTs) return statusTs;
    const stored = await database.run.findUnique({
      where: { id: run.id },
      select: { statusMessageTs: true },
    });
    if (stored?.statusMessageTs) {
      statusTs = stored.statusMessageTs;
      return statusTs;
    }
    const posted = await postOnce(`${run.id}:status`, {
      text: statusText(progress),
      blocks: statusBlocks(progress, run.id, options.viewUrl),
    });
    await database.run.update({ where: { id: run.id }, data: { statusMessageTs: posted.ts } });
    statusTs = posted.ts;
    lastEdit = Date.now();
    return posted.ts;
  }

  async function edit(progress: RunProgress): Promise<void> {
    const ts = await ensureStatus(progress);
    lastEdit = Date.now();
    await client.chat.update({
      channel,
      ts,
      text: statusText(progress),
      blocks: statusBlocks(progress, run.id, options.viewUrl) as never,
    });
  }

  function flush(): Promise<void> {
    const progress = queued;
    queued = undefined;
    timer = undefined;
    if (!progress) return editing;
    editing = editing
      .then(() => edit(progress))
      .catch((error) => options.logger.warn({ error: String(error) }, "status edit failed"));
    return editing;
  }

  return {
    async progress(update) {
      // Anything but "working" is a state change people should see at once; working edits are coalesced.
      const immediate = update.phase !== "working";
      if (!statusTs) {
        await ensureStatus(update);
        return;
      }
      queued = update;
      if (immediate) {
        if (timer) clearTimeout(timer);
        await flush();
        return;
      }
      if (timer) return;
      const wait = Math.max(0, lastEdit + interval - Date.now());
      timer = setTimeout(() => void flush(), wait);
      timer.unref();
    },
    async post(key, kind: ThreadMessageKind, text) {
      const formatted = formatAnswer(text);
      let first: { ts: string } | undefined;
      for (const [index, part] of formatted.entries()) {
        const posted = await postOnce(index === 0 ? key : `${key}:${index}`, part);
        first ??= posted;
        await recordOwnMessage(database, run, posted.ts, part.text);
      }
      if (kind === "final" && first) {
        await database.run.update({ where: { id: run.id }, data: { finalMessageTs: first.ts } });
      }
      return first ?? { ts: "" };
    },
    async requestApproval(key, prompt: ApprovalPrompt) {
      return postOnce(key, { text: `Approval needed: ${prompt.summary}`, blocks: approvalBlocks(prompt) });
    },
  };
}

async function findByKey(client: SlackClient, channel: string, threadTs: string, key: string) {
  let cursor: string | undefined;
  do {
    const page = await client.conversations.replies({
      channel,
      ts: threadTs,
      include_all_metadata: true,
      limit: 200,
      cursor,
    });
    for (const message of page.messages ?? []) {
      const payload = (message as { metadata?: { event_payload?: { key?: string } } }).metadata
        ?.event_payload;
      if (payload?.key === key && message.ts) return { ts: message.ts };
    }
    cursor = page.response_metadata?.next_cursor || undefined;
  } while (cursor);
  return undefined;
}

/** Our own answers are part of the thread's context for follow-ups. */
async function recordOwnMessage(
  database: Database,
  run: SlackThreadOptions["run"],
  ts: string,
  text: string,
) {
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
