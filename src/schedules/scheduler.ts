import { Queue, QueueEvents, Worker } from "bullmq";
import { type Logger as CronLogger, createTask, type ScheduledTask } from "node-cron";
import { errorMessage } from "../errors.js";
import type { Logger } from "../logger.js";
import { queueNames } from "../queue/catalog.js";
import { redisConnection } from "../queue/connection.js";
import { defaultJobOptions } from "../queue/queues.js";
import type { Services } from "../services.js";
import { repeatStrategyFor } from "./job-schedulers.js";
import { releaseQueuedRun, schedulesWithQueuedRuns } from "./overlap.js";
import { processScheduleJob, type SchedulerContext } from "./processor.js";
import { type ReconcileReport, reconcileSchedules } from "./reconciler.js";
import { defaultFiringSettings, type FiringSettings } from "./settle.js";
import { cronTimetable, type Timetable } from "./timetable.js";

/**
 * A scheduler replica: run as many as you like. Each has
 * - a BullMQ worker on the `schedules` queue (wake-ups from job schedulers, tick jobs, sync jobs),
 *   configured with our DST-correct repeat strategy, because BullMQ computes a scheduler's next
 *   slot in whichever worker picks up the current one;
 * - a node-cron timer in the process running the reconciler (reconciler.ts). node-cron is the right
 *   tool for that loop: it must run in every replica, off Redis, so it still repairs things when the
 *   BullMQ state it repairs is gone; BullMQ job schedulers are the right tool for the schedules
 *   themselves: shared, idempotent across replicas, one pending wake-up each, at the exact slot;
 * - a QueueEvents listener on the `runs` queue, so a run held back by the "queue" overlap policy
 *   starts as soon as the previous run's job ends (the reconciler is the fallback).
 */
export interface SchedulerOptions {
  timetable?: Timetable;
  settings?: Partial<FiringSettings>;
  /** node-cron expression (a 6-field one counts seconds) for the reconciler; default every 30 s. */
  reconcileEvery?: string;
  concurrency?: number;
  now?: () => number;
}

export interface RunningScheduler {
  context: SchedulerContext;
  /** Runs one reconciler pass now (waits for one already running). */
  reconcile(): Promise<ReconcileReport>;
  close(): Promise<void>;
}

export async function startScheduler(
  services: Services,
  options: SchedulerOptions = {},
): Promise<RunningScheduler> {
  const { config, logger } = services;
  const connection = redisConnection(config.redisUrl);
  const timetable = options.timetable ?? cronTimetable;
  const settings = { ...defaultFiringSettings, ...options.settings };
  const repeatStrategy = repeatStrategyFor(timetable);
  const schedulerQueue = new Queue(queueNames.schedules, {
    connection,
    prefix: config.queuePrefix,
    defaultJobOptions,
    settings: { repeatStrategy },
  });
  const context: SchedulerContext = {
    database: services.database,
    slack: services.slack,
    queues: services.queues,
    logger: logger.child({ role: "scheduler" }),
    command: config.slack.command,
    lateGraceMs: settings.lateGraceMs,
    timetable,
    settings,
    schedulerQueue,
    now: options.now ?? services.now,
  };

  const worker = new Worker(queueNames.schedules, (job, token) => processScheduleJob(context, job, token), {
    connection,
    prefix: config.queuePrefix,
    concurrency: options.concurrency ?? 8,
    settings: { repeatStrategy },
  });
  worker.on("failed", (job, error) =>
    context.logger.warn({ jobId: job?.id, name: job?.name, error: error.message }, "schedule job failed"),
  );
  worker.on("error", (error) => context.logger.error({ error: error.message }, "schedule worker error"));

  let passing: Promise<ReconcileReport> | undefined;
  const reconcile = () => {
    passing ??= reconcileSchedules(context).finally(() => {
      passing = undefined;
    });
    return passing;
  };
  const timer: ScheduledTask = createTask(
    options.reconcileEvery ?? "*/30 * * * * *",
    async () => {
      await reconcile().catch((error) =>
        context.logger.error({ error: errorMessage(error) }, "schedule reconcile failed"),
      );
    },
    {
      name: `schedule-reconciler-${config.queuePrefix}-${worker.id}`,
      noOverlap: true,
      suppressMissedWarning: true,
      logger: cronLogger(context.logger),
    },
  );

  const runEvents = new QueueEvents(queueNames.runs, { connection, prefix: config.queuePrefix });
  let releaseTimer: NodeJS.Timeout | undefined;
  const releaseSoon = () => {
    releaseTimer ??= setTimeout(() => {
      releaseTimer = undefined;
      void releaseAll(context).catch((error) =>
        context.logger.warn({ error: errorMessage(error) }, "releasing queued scheduled runs failed"),
      );
    }, 200);
  };
  runEvents.on("completed", releaseSoon);
  runEvents.on("failed", releaseSoon);

  await Promise.all([worker.waitUntilReady(), runEvents.waitUntilReady()]);
  await reconcile().catch((error) =>
    context.logger.error({ error: errorMessage(error) }, "first schedule reconcile failed"),
  );
  await timer.start();
  context.logger.info("scheduler started");

  return {
    context,
    reconcile,
    async close() {
      await timer.destroy();
      if (releaseTimer) clearTimeout(releaseTimer);
      await passing?.catch(() => undefined);
      await worker.close();
      await runEvents.close();
      await schedulerQueue.close();
    },
  };
}

async function releaseAll(context: SchedulerContext): Promise<void> {
  for (const scheduleId of await schedulesWithQueuedRuns(context.database)) {
    await releaseQueuedRun(context, scheduleId);
  }
}

/** node-cron's messages (e.g. "still running, new execution blocked") go to our log, not stderr. */
function cronLogger(logger: Logger): CronLogger {
  return {
    info: (message) => logger.debug({ source: "node-cron" }, message),
    warn: (message) => logger.info({ source: "node-cron" }, message),
    error: (message) => logger.error({ source: "node-cron" }, errorMessage(message)),
    debug: (message) => logger.debug({ source: "node-cron" }, errorMessage(message)),
  };
}
