import { errorMessage } from "../errors.js";
import { jobSchedulerId } from "./ids.js";
import { jobSchedulersById, syncJobScheduler } from "./job-schedulers.js";
import { releaseQueuedRun, schedulesWithQueuedRuns } from "./overlap.js";
import { enqueueTick, type SchedulerContext, settleAndDispatch, tickJobId } from "./processor.js";
import { isActive } from "./store.js";
import { unannounced, unfinishedFiring } from "./tick-outcomes.js";
import { nextSlot } from "./timetable.js";

/**
 * The repair loop, run in every scheduler replica on a node-cron timer (and at start). It does not
 * depend on what it repairs: BullMQ job schedulers live in Redis and can be lost (a flush, a failover,
 * a missed sync), so the loop re-reads Postgres and
 * - upserts or removes job schedulers so BullMQ matches the schedules;
 * - settles every schedule with a due slot nobody has decided (missed-run detection after downtime,
 *   or a lost wake-up) through the same tick transaction as a wake-up;
 * - re-enqueues tick jobs for slots claimed long ago but not finished (a crash, or retries used up);
 * - starts runs held back by the "queue" overlap policy once the previous run ended.
 * Running it in several replicas at once is safe: every step is idempotent.
 */
export interface ReconcileReport {
  schedules: number;
  settled: number;
  upserted: number;
  removed: number;
  resumedTicks: number;
  released: number;
  errors: number;
}

/** Claimed or unannounced ticks older than this get their job re-enqueued. */
const STUCK_AFTER_MS = 2 * 60_000;

export async function reconcileSchedules(context: SchedulerContext): Promise<ReconcileReport> {
  const report: ReconcileReport = {
    schedules: 0,
    settled: 0,
    upserted: 0,
    removed: 0,
    resumedTicks: 0,
    released: 0,
    errors: 0,
  };
  const now = new Date(context.now());
  const attempt = async (scheduleId: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      report.errors += 1;
      context.logger.warn({ scheduleId, error: errorMessage(error) }, "schedule reconcile step failed");
    }
  };

  const schedules = await context.database.schedule.findMany({ where: { deletedAt: null } });
  const schedulers = await jobSchedulersById(context.schedulerQueue);
  report.schedules = schedules.length;
  const active = new Set<string>();
  for (const schedule of schedules) {
    await attempt(schedule.id, async () => {
      const existing = schedulers.get(schedule.id);
      const synced = await syncJobScheduler(context.schedulerQueue, schedule.id, schedule, { existing });
      if (synced === "upserted") report.upserted += 1;
      if (synced === "removed") report.removed += 1;
      if (!isActive(schedule)) return;
      active.add(schedule.id);
      const next = nextSlot(context.timetable, schedule, schedule.lastTickAt ?? schedule.createdAt);
      if (next && next.getTime() <= now.getTime()) {
        await settleAndDispatch(context, schedule.id);
        report.settled += 1;
      }
    });
  }
  for (const scheduleId of schedulers.keys()) {
    if (active.has(scheduleId)) continue;
    await attempt(scheduleId, async () => {
      const schedule = await context.database.schedule.findUnique({ where: { id: scheduleId } });
      if (schedule && isActive(schedule)) return;
      if (await context.schedulerQueue.removeJobScheduler(jobSchedulerId(scheduleId))) report.removed += 1;
    });
  }
  report.resumedTicks = await resumeStuckTicks(context, now, attempt);
  for (const scheduleId of await schedulesWithQueuedRuns(context.database)) {
    await attempt(scheduleId, async () => {
      if (await releaseQueuedRun(context, scheduleId)) report.released += 1;
    });
  }
  return report;
}

async function resumeStuckTicks(
  context: SchedulerContext,
  now: Date,
  attempt: (scheduleId: string, work: () => Promise<void>) => Promise<void>,
): Promise<number> {
  const stuck = await context.database.scheduleTick.findMany({
    where: {
      outcome: { in: [...unfinishedFiring, ...unannounced] },
      createdAt: { lt: new Date(now.getTime() - STUCK_AFTER_MS) },
    },
    orderBy: { scheduledAt: "asc" },
    take: 200,
  });
  let resumed = 0;
  for (const tick of stuck) {
    await attempt(tick.scheduleId, async () => {
      const job = await context.queues.schedules.getJob(tickJobId(tick.scheduleId, tick.scheduledAt));
      if (!job) {
        await enqueueTick(context, tick.scheduleId, tick.scheduledAt);
      } else if (await job.isFailed()) {
        await job.retry("failed");
      } else if (await job.isCompleted()) {
        await enqueueTick(context, tick.scheduleId, tick.scheduledAt, `again${now.getTime()}`);
      } else {
        return;
      }
      resumed += 1;
    });
  }
  return resumed;
}
