import { z } from "zod";

/**
 * The typed job catalog: every job the system runs, its payload schema and its options. Payloads are
 * parsed when enqueued and again when processed. Job ids are deterministic, so enqueueing the same
 * work twice (a Slack retry, a duplicate tick, a restart) adds one job.
 */
export const queueNames = { runs: "runs", schedules: "schedules" } as const;

export const jobs = {
  /** Start or continue a run of the harness. Idempotent: a finished run does nothing. */
  "run.execute": {
    queue: queueNames.runs,
    payload: z.object({ runId: z.uuid(), reason: z.enum(["start", "resume", "recover"]) }),
  },
  /**
   * A timer on a pending approval: a reminder in the thread, or the request lapsing when policy sets
   * an expiry. Idempotent: does nothing once the approval is decided or already reminded.
   */
  "approval.timer": {
    queue: queueNames.runs,
    payload: z.object({ approvalId: z.uuid(), kind: z.enum(["remind", "expire"]) }),
  },
  /** One tick of a schedule: creates at most one run for (schedule, scheduledAt). */
  "schedule.tick": {
    queue: queueNames.schedules,
    payload: z.object({ scheduleId: z.uuid(), scheduledAt: z.iso.datetime() }),
  },
  /**
   * A schedule's slot came: decide in Postgres what is due (src/schedules/settle.ts). Added by the
   * schedule's BullMQ job scheduler (job id `repeat:<scheduler>:<slot millis>`); duplicates are no-ops.
   */
  "schedule.wake": {
    queue: queueNames.schedules,
    payload: z.object({ scheduleId: z.uuid() }),
  },
  /** A schedule changed (created, edited, paused, resumed, deleted): make its BullMQ job scheduler match. */
  "schedule.sync": {
    queue: queueNames.schedules,
    payload: z.object({ scheduleId: z.uuid() }),
  },
} as const;

export type JobName = keyof typeof jobs;
export type JobPayload<Name extends JobName> = z.infer<(typeof jobs)[Name]["payload"]>;

/** BullMQ job ids may not contain ':'. */
export function jobId(...parts: string[]): string {
  return parts.map((part) => part.replaceAll(":", "_")).join("-");
}
