import type { Logger } from "../logger.js";
import { runEvents } from "../observability/run-events.js";
import type { Queues } from "../queue/queues.js";
import type { SlackClients } from "../slack/clients.js";
import { createRun, enqueueRun } from "../slack/intake.js";
import type { Database } from "../storage/database.js";
import { headerMessage } from "./channel-messages.js";
import { findPostByKey, isPermanentPostError, postWithKey } from "./channel-posts.js";
import { lockSchedule, withAdvisoryLock } from "./locks.js";
import { hasActiveWork } from "./overlap.js";
import { isActive } from "./store.js";
import { tickOutcomes, unfinishedFiring } from "./tick-outcomes.js";

/**
 * Turns a claimed slot into an ordinary task: a new top-level message in the schedule's channel
 * (the header, posted exactly once), whose thread is the task's thread, and a run created with
 * `createRun` (source "schedule", requester = the schedule's owner) and enqueued.
 *
 * Exactly once: one process at a time works on a tick (advisory lock); the tick moves to "posting"
 * (committed) before the post, so a retry after a crash looks for the header by its metadata key
 * before posting; `createRun` is idempotent per (channel, header ts), and enqueueing a run is
 * idempotent per run. Pausing or deleting before the header is posted cancels the slot.
 */
export interface FiringDependencies {
  database: Database;
  slack: SlackClients;
  queues: Queues;
  logger: Logger;
  /** The slash command, for "manage" hints in messages. */
  command: string;
  lateGraceMs: number;
}

export type CompletionResult = "fired" | "queued" | "cancelled" | "failed" | "done" | "missing" | "busy";

export function headerKey(scheduleId: string, scheduledAt: Date): string {
  return `tick:${scheduleId}:${scheduledAt.getTime()}`;
}

export async function completeTick(
  dependencies: FiringDependencies,
  tickId: string,
): Promise<CompletionResult> {
  const { database, queues } = dependencies;
  const tick = await database.scheduleTick.findUnique({ where: { id: tickId } });
  if (!tick) return "missing";
  if (tick.outcome === tickOutcomes.fired && tick.runId) {
    // A retry after the commit: make sure the run was enqueued (idempotent per run).
    await enqueueRun(queues, tick.runId, "start");
    return "done";
  }
  if (!unfinishedFiring.includes(tick.outcome)) return "done";
  const locked = await withAdvisoryLock(database, `schedule-tick:${tick.id}`, async () => {
    const current = await database.scheduleTick.findUniqueOrThrow({
      where: { id: tickId },
      include: { schedule: true },
    });
    if (!unfinishedFiring.includes(current.outcome)) return "done";
    const { schedule } = current;
    const client = await dependencies.slack.forWorkspace(schedule.workspaceId);
    const key = headerKey(schedule.id, current.scheduledAt);
    let headerTs =
      current.outcome === tickOutcomes.posting
        ? await findPostByKey(client, schedule.channel, key, current.createdAt)
        : undefined;
    if (!headerTs) {
      if (!isActive(schedule)) {
        await database.scheduleTick.update({
          where: { id: tickId },
          data: { outcome: tickOutcomes.cancelled },
        });
        return "cancelled";
      }
      await database.scheduleTick.update({ where: { id: tickId }, data: { outcome: tickOutcomes.posting } });
      const late = current.createdAt.getTime() - current.scheduledAt.getTime() > dependencies.lateGraceMs;
      const message = headerMessage(
        schedule,
        { scheduledAt: current.scheduledAt, late },
        dependencies.command,
      );
      try {
        headerTs = await postWithKey(client, { channel: schedule.channel, key, ...message });
      } catch (error) {
        if (!isPermanentPostError(error)) throw error;
        dependencies.logger.warn(
          { scheduleId: schedule.id, error: String(error) },
          "schedule header could not be posted",
        );
        await database.scheduleTick.update({ where: { id: tickId }, data: { outcome: tickOutcomes.failed } });
        return "failed";
      }
    }
    const runId = await createRun(
      database,
      {
        workspaceId: schedule.workspaceId,
        channel: schedule.channel,
        user: schedule.ownerId,
        text: schedule.prompt,
        ts: headerTs,
      },
      headerTs,
      "schedule",
      schedule.id,
    );
    return database.$transaction(async (transaction) => {
      const locked = await lockSchedule(transaction, schedule.id);
      const held =
        locked?.overlapPolicy === "queue" &&
        (await hasActiveWork(transaction, schedule.id, { runId, tickId: current.id }));
      if (!held) await enqueueRun(queues, runId, "start");
      const fired = await transaction.scheduleTick.update({
        where: { id: tickId },
        data: { outcome: held ? tickOutcomes.queued : tickOutcomes.fired, runId },
      });
      const task = await transaction.run.findUnique({ where: { id: runId }, select: { taskId: true } });
      dependencies.logger.info(
        {
          event: runEvents.scheduleTick,
          workspaceId: schedule.workspaceId,
          taskId: task?.taskId,
          runId,
          scheduleId: schedule.id,
          scheduledAt: current.scheduledAt.toISOString(),
          outcome: fired.outcome,
        },
        "schedule tick decided",
      );
      return held ? "queued" : "fired";
    });
  });
  return locked.acquired ? locked.value : "busy";
}
