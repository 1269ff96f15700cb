import { DelayedError, type Job, type Queue } from "bullmq";
import { jobId, jobs } from "../queue/catalog.js";
import { completeTick, type FiringDependencies } from "./firing.js";
import { syncJobScheduler } from "./job-schedulers.js";
import { announceMissed } from "./missed-notice.js";
import { type FiringSettings, type SettleResult, settleSchedule } from "./settle.js";
import { unannounced } from "./tick-outcomes.js";
import type { Timetable } from "./timetable.js";

/**
 * The `schedules` queue's jobs, processed by the scheduler role's own BullMQ worker:
 * - `schedule.wake` (from a job scheduler at a slot): settle the schedule in Postgres;
 * - `schedule.tick` (one per decided slot): post the header and start the run, or the missed notice;
 * - `schedule.sync` (after a change): make the BullMQ job scheduler match Postgres.
 * All three are idempotent, so BullMQ's at-least-once delivery is harmless.
 */
export interface SchedulerContext extends FiringDependencies {
  timetable: Timetable;
  settings: FiringSettings;
  /** The schedules queue built with our repeat strategy (job schedulers are upserted through it). */
  schedulerQueue: Queue;
  now(): number;
}

const BUSY_RETRY_MS = 1000;

export async function processScheduleJob(
  context: SchedulerContext,
  job: Job,
  token?: string,
): Promise<string> {
  switch (job.name) {
    case "schedule.wake": {
      const { scheduleId } = jobs["schedule.wake"].payload.parse(job.data);
      const result = await settleAndDispatch(context, scheduleId);
      return result.type;
    }
    case "schedule.tick": {
      const payload = jobs["schedule.tick"].payload.parse(job.data);
      const outcome = await processTick(context, payload.scheduleId, new Date(payload.scheduledAt));
      if (outcome === "busy") {
        // Another process is posting this tick's message right now: check back shortly (BullMQ's
        // clock, as for every delay), without holding this worker slot meanwhile.
        await job.moveToDelayed(Date.now() + BUSY_RETRY_MS, token);
        throw new DelayedError();
      }
      return outcome;
    }
    case "schedule.sync": {
      const { scheduleId } = jobs["schedule.sync"].payload.parse(job.data);
      const schedule = await context.database.schedule.findUnique({ where: { id: scheduleId } });
      const synced = await syncJobScheduler(context.schedulerQueue, scheduleId, schedule);
      // A resumed or edited schedule may be due right away (or its next slot may be very close).
      if (synced === "upserted") await settleAndDispatch(context, scheduleId);
      return synced;
    }
    default:
      return "unknown";
  }
}

/** Settles a schedule and enqueues the work its decision calls for. */
export async function settleAndDispatch(
  context: SchedulerContext,
  scheduleId: string,
): Promise<SettleResult> {
  const result = await settleSchedule(context, scheduleId, new Date(context.now()));
  if (result.type === "inactive") {
    const schedule = await context.database.schedule.findUnique({ where: { id: scheduleId } });
    await syncJobScheduler(context.schedulerQueue, scheduleId, schedule);
    return result;
  }
  if (result.type !== "settled") return result;
  if (result.claimed) await enqueueTick(context, scheduleId, result.claimed.scheduledAt);
  if (result.announce) await enqueueTick(context, scheduleId, result.announce);
  return result;
}

export async function enqueueTick(
  context: Pick<SchedulerContext, "queues">,
  scheduleId: string,
  scheduledAt: Date,
  attempt?: string,
): Promise<void> {
  await context.queues.enqueue(
    "schedule.tick",
    { scheduleId, scheduledAt: scheduledAt.toISOString() },
    { jobId: tickJobId(scheduleId, scheduledAt, attempt) },
  );
}

export function tickJobId(scheduleId: string, scheduledAt: Date, attempt?: string): string {
  return jobId("tick", scheduleId, String(scheduledAt.getTime()), ...(attempt ? [attempt] : []));
}

async function processTick(
  context: SchedulerContext,
  scheduleId: string,
  scheduledAt: Date,
): Promise<string> {
  const tick = await context.database.scheduleTick.findUnique({
    where: { scheduleId_scheduledAt: { scheduleId, scheduledAt } },
  });
  if (!tick) return "missing";
  if (unannounced.includes(tick.outcome)) {
    return announceMissed({ ...context, missedRowsKept: context.settings.missedRowsKept }, scheduleId);
  }
  return completeTick(context, tick.id);
}
