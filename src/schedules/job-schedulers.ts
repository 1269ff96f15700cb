import type { JobSchedulerJson, JobsOptions, Queue, RepeatStrategy } from "bullmq";
import { jobSchedulerId } from "./ids.js";
import { isActive, type ScheduleRecord } from "./store.js";
import { nextSlot, type Timetable } from "./timetable.js";

/**
 * One BullMQ job scheduler per active schedule: it wakes a scheduler process at each slot with a
 * `schedule.wake` job. `upsertJobScheduler` is idempotent across replicas and keeps exactly one
 * delayed job per scheduler, so BullMQ is the precise, shared alarm clock. Its next slot comes from
 * our `repeatStrategy` (the DST-correct timetable), not from cron-parser's own timezone handling.
 * BullMQ only wakes; whether a slot runs is decided in Postgres (settle.ts), so a stale or
 * duplicate wake-up does nothing.
 */
export const wakeJobName = "schedule.wake";

export const wakeJobOptions: JobsOptions = {
  attempts: 10,
  backoff: { type: "exponential", delay: 1000 },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export function repeatStrategyFor(timetable: Timetable): RepeatStrategy {
  return (millis, options) => {
    if (!options.pattern) return undefined;
    const timing = { cron: options.pattern, timezone: options.tz ?? "UTC" };
    return nextSlot(timetable, timing, new Date(millis))?.getTime();
  };
}

export type SyncResult = "upserted" | "unchanged" | "removed" | "absent";

/** Makes BullMQ match Postgres for one schedule: a scheduler with its timing, or none. */
export async function syncJobScheduler(
  queue: Queue,
  scheduleId: string,
  schedule: ScheduleRecord | null,
  /** The scheduler as already read (a reconciler pass reads them all at once); read here if not given. */
  known?: { existing: JobSchedulerJson | undefined },
): Promise<SyncResult> {
  const id = jobSchedulerId(scheduleId);
  if (!schedule || !isActive(schedule)) {
    if (known && !known.existing) return "absent";
    return (await queue.removeJobScheduler(id)) ? "removed" : "absent";
  }
  const existing = known ? known.existing : await queue.getJobScheduler(id);
  // Upserting replaces the pending wake-up, so do it only when something changed.
  if (existing && existing.pattern === schedule.cron && existing.tz === schedule.timezone) return "unchanged";
  await queue.upsertJobScheduler(
    id,
    { pattern: schedule.cron, tz: schedule.timezone },
    { name: wakeJobName, data: { scheduleId }, opts: wakeJobOptions },
  );
  return "upserted";
}

/** The slot a wake-up job stands for: BullMQ names scheduler jobs `repeat:<scheduler id>:<millis>`. */
export function slotOfWakeJob(jobId: string | undefined): Date | undefined {
  const millis = Number(jobId?.split(":").at(-1));
  return Number.isFinite(millis) && millis > 0 ? new Date(millis) : undefined;
}

/** Every schedule's job scheduler in this queue, by schedule id (one Redis round trip per page). */
export async function jobSchedulersById(queue: Queue): Promise<Map<string, JobSchedulerJson>> {
  const schedulers = await queue.getJobSchedulers(0, -1, true);
  return new Map(
    schedulers.flatMap((scheduler) =>
      scheduler.key.startsWith("schedule-")
        ? [[scheduler.key.slice("schedule-".length), scheduler] as const]
        : [],
    ),
  );
}
