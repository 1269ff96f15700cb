import type { RunProgress } from "../harness/thread.js";
import type { Logger } from "../logger.js";
import type { Database } from "../storage/database.js";
import { statusBlocks, statusText } from "./blocks/status.js";
import type { SlackClient } from "./clients.js";

/**
 * A run's status message, edited in place, plus the assistant status ("is thinking…") in DMs. Edits
 * are coalesced: one at a time, at most one per interval, always the latest state, so a busy run stays
 * inside Slack's limits (chat.update is Tier 3 per workspace; the assistant status about 60 a minute
 * per thread). A rate-limited edit is retried by the WebClient after Retry-After while newer states
 * wait and collapse into one; the next edit starts an interval after the last one finished, which
 * slows every run down while Slack pushes back. States other than "working" are sent without waiting
 * for the interval, retried if they fail, and `update` resolves only once they are shown: the last
 * state always lands, after any earlier one.
 */
export interface StatusMessageOptions {
  database: Database;
  client: SlackClient;
  logger: Logger;
  run: { id: string; channel: string; task: { threadTs: string } };
  intervalMs?: number;
  /** Posts the status message once (through the ledger). */
  post(message: { text: string; blocks: unknown[] }): Promise<{ ts: string }>;
}

export interface StatusMessage {
  update(progress: RunProgress): Promise<void>;
}

const defaultIntervalMs = 2000;
const finalAttempts = 4;

export function createStatusMessage(options: StatusMessageOptions): StatusMessage {
  const { database, client, logger, run } = options;
  const interval = options.intervalMs ?? defaultIntervalMs;
  const assistant = assistantStatus(client, logger, run.channel, run.task.threadTs);
  let statusTs: string | undefined;
  let lastShown = 0;
  let pending: RunProgress | undefined;
  let pumping: Promise<void> = Promise.resolve();
  let running = false;
  let wake: (() => void) | undefined;

  const message = (progress: RunProgress) => ({
    text: statusText(progress),
    blocks: statusBlocks(progress, run.id),
  });

  async function show(progress: RunProgress): Promise<void> {
    if (!statusTs) {
      const stored = await database.run.findUnique({
        where: { id: run.id },
        select: { statusMessageTs: true },
      });
      statusTs = stored?.statusMessageTs ?? undefined;
    }
    if (!statusTs) {
      const posted = await options.post(message(progress));
      await database.run.update({ where: { id: run.id }, data: { statusMessageTs: posted.ts } });
      statusTs = posted.ts;
    } else {
      const { text, blocks } = message(progress);
      await client.chat.update({ channel: run.channel, ts: statusTs, text, blocks: blocks as never });
    }
    await assistant?.show(progress);
  }

  async function pump(): Promise<void> {
    let attempt = 0;
    try {
      while (pending) {
        if (pending.phase === "working") await pause(lastShown + interval - Date.now());
        const next = pending;
        pending = undefined;
        try {
          await show(next);
          attempt = 0;
        } catch (error) {
          logger.warn({ error: String(error), runId: run.id, phase: next.phase }, "status update failed");
          attempt += 1;
          if (next.phase !== "working" && attempt < finalAttempts) {
            pending ??= next;
            await pause(1000 * 2 ** (attempt - 1));
          }
        } finally {
          lastShown = Date.now();
        }
      }
    } finally {
      // Cleared in the same step as the loop's last check, so a new state always finds a pump.
      running = false;
    }
  }

  function pause(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      wake = done;
    });
  }

  return {
    update(progress) {
      pending = progress;
      if (progress.phase !== "working") wake?.();
      if (!running) {
        running = true;
        pumping = pump();
      }
      // "working" is coalesced and not waited for (except the first, so the status message comes
      // before anything else the run posts); any other state is awaited until it is shown.
      return progress.phase === "working" && statusTs ? Promise.resolve() : pumping;
    },
  };
}

/** `assistant.threads.setStatus` where the surface has it (DMs with the app); off after a refusal. */
function assistantStatus(client: SlackClient, logger: Logger, channel: string, threadTs: string) {
  if (!channel.startsWith("D")) return undefined;
  let enabled = true;
  return {
    async show(progress: RunProgress) {
      if (!enabled) return;
      // The status lives on the thread the run answers in; it clears itself when we post.
      const status = progress.phase === "working" ? `is ${lowerFirst(progress.activity)}…`.slice(0, 150) : "";
      try {
        await client.assistant.threads.setStatus({ channel_id: channel, thread_ts: threadTs, status });
      } catch (error) {
        enabled = false;
        logger.debug({ error: String(error), channel }, "assistant status not available here");
      }
    },
  };
}

function lowerFirst(text: string): string {
  return text.length > 1 && text[1] !== text[1]!.toUpperCase()
    ? text[0]!.toLowerCase() + text.slice(1)
    : text;
}
