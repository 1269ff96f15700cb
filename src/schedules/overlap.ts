import type { Queues } from "../queue/queues.js";
import { enqueueRun } from "../slack/intake.js";
import type { Database } from "../storage/database.js";
import { lockSchedule, type Transaction } from "./locks.js";
import { isActive } from "./store.js";
import { activeRunStatuses, tickOutcomes, unfinishedFiring } from "./tick-outcomes.js";

/**
 * Overlap between a schedule's runs. "Still running" means a run of the schedule that is queued,
 * working or parked (approval, input), or a claimed slot whose run is not created yet. Runs held
 * back by the "queue" policy do not count: they are the ones waiting.
 */
export async function hasActiveWork(
  transaction: Transaction,
  scheduleId: string,
  exclude: { runId?: string; tickId?: string } = {},
): Promise<boolean> {
  const waiting = await transaction.scheduleTick.findMany({
    where: { scheduleId, outcome: tickOutcomes.queued },
    select: { runId: true },
  });
  const waitingRunIds = waiting.flatMap((tick) => (tick.runId ? [tick.runId] : []));
  const run = await transaction.run.findFirst({
    where: {
      scheduleId,
      status: { in: activeRunStatuses },
      id: { notIn: [...waitingRunIds, ...(exclude.runId ? [exclude.runId] : [])] },
    },
    select: { id: true },
  });
  if (run) return true;
  const claimed = await transaction.scheduleTick.findFirst({
    where: {
      scheduleId,
      outcome: { in: unfinishedFiring },
      ...(exclude.tickId ? { id: { not: exclude.tickId } } : {}),
    },
    select: { id: true },
  });
  return claimed !== null;
}

/**
 * Starts the oldest run held back by the "queue" policy once nothing of the schedule is running.
 * Returns the run started, if any. Enqueued inside the transaction: if the commit fails, the run
 * starts anyway and the next release finds it running (enqueueing a run is idempotent).
 */
export async function releaseQueuedRun(
  dependencies: { database: Database; queues: Queues },
  scheduleId: string,
): Promise<string | undefined> {
  return dependencies.database.$transaction(async (transaction) => {
    const schedule = await lockSchedule(transaction, scheduleId);
    if (!schedule || !isActive(schedule)) return undefined;
    const next = await transaction.scheduleTick.findFirst({
      where: { scheduleId, outcome: tickOutcomes.queued },
      orderBy: { scheduledAt: "asc" },
    });
    if (!next?.runId) return undefined;
    if (await hasActiveWork(transaction, scheduleId)) return undefined;
    await enqueueRun(dependencies.queues, next.runId, "start");
    await transaction.scheduleTick.update({ where: { id: next.id }, data: { outcome: tickOutcomes.fired } });
    return next.runId;
  });
}

/** Schedules with runs held back, for a release pass. */
export async function schedulesWithQueuedRuns(database: Database): Promise<string[]> {
  const rows = await database.scheduleTick.findMany({
    where: { outcome: tickOutcomes.queued },
    distinct: ["scheduleId"],
    select: { scheduleId: true },
    take: 1000,
  });
  return rows.map((row) => row.scheduleId);
}
