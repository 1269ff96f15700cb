import type { SlackEmulator } from "../../src/emulator/index.js";
import type { Queues } from "../../src/queue/queues.js";
import { createRun, enqueueRun } from "../../src/slack/intake.js";
import type { Database } from "../../src/storage/database.js";

/**
 * Runs for the throughput benchmarks: each is a real Slack message (so the bot's posts land in a real
 * thread), stored as a task and a run the way the intake stores them, then enqueued all at once.
 */
export async function createRuns(
  database: Database,
  slack: SlackEmulator,
  count: number,
  text: (index: number) => string,
): Promise<string[]> {
  const runIds: string[] = [];
  for (let index = 0; index < count; index++) {
    // No request URL is set, so Slack delivers no event: these runs are started by the benchmark.
    const message = await slack.post({
      user: slack.users.alice,
      channel: slack.channels.general,
      text: text(index),
    });
    runIds.push(
      await createRun(
        database,
        {
          workspaceId: slack.teamId,
          channel: message.channel,
          user: slack.users.alice.id,
          text: text(index),
          ts: message.ts,
        },
        message.ts,
        "mention",
      ),
    );
  }
  return runIds;
}

export async function enqueueAll(queues: Queues, runIds: string[]): Promise<void> {
  await Promise.all(runIds.map((runId) => enqueueRun(queues, runId, "start")));
}

/**
 * Resolves when every run has ended: how long that took from `start` (performance.now()), and how many
 * queries the waiting sent (to subtract from database activity counts).
 */
export async function waitForRuns(
  database: Database,
  runIds: string[],
  start: number,
  timeoutMs: number,
): Promise<{ elapsedMs: number; polls: number }> {
  const deadline = Date.now() + timeoutMs;
  for (let polls = 1; ; polls++) {
    const ended = await database.run.count({
      where: { id: { in: runIds }, status: { in: ["completed", "failed", "stopped", "cancelled"] } },
    });
    if (ended === runIds.length) return { elapsedMs: performance.now() - start, polls };
    if (Date.now() > deadline) throw new Error(`${ended} of ${runIds.length} runs ended in time`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
