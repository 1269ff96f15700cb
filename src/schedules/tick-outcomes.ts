/**
 * What became of one slot of a schedule (`ScheduleTick.outcome`). A row is written once per
 * (schedule, slot) in the tick transaction; the in-between states record how far the side effects
 * got, so a retry after a crash knows whether a Slack message may already exist.
 */
export const tickOutcomes = {
  /** Claimed: the header has not been posted yet. */
  firing: "firing",
  /** The header is being posted (it may exist): a retry looks for it before posting. */
  posting: "posting",
  /** The run was created and enqueued (`runId`). */
  fired: "fired",
  /** The run was created and waits for the schedule's previous run (overlap policy "queue"). */
  queued: "queued",
  /** Not run: the previous run was still going (overlap policy "skip"). */
  skippedOverlap: "skipped_overlap",
  /** Not run: the slot passed while no scheduler was up; the channel was told (or need not be). */
  missed: "missed",
  /** Missed, and the channel has not been told yet. */
  missedUnannounced: "missed_unannounced",
  /** Missed, and the notice is being posted (it may exist). */
  missedAnnouncing: "missed_announcing",
  /** Claimed, but the schedule was paused or deleted before anything was posted. */
  cancelled: "cancelled",
  /** The header could not be posted (the channel is gone or the bot was removed from it). */
  failed: "failed",
} as const;

export type TickOutcome = (typeof tickOutcomes)[keyof typeof tickOutcomes];

/** Claimed slots whose header and run are not done yet. */
export const unfinishedFiring: string[] = [tickOutcomes.firing, tickOutcomes.posting];
export const unannounced: string[] = [tickOutcomes.missedUnannounced, tickOutcomes.missedAnnouncing];

/** Run statuses that mean "still going" (see prisma/schema.prisma `Run.status`). */
export const activeRunStatuses = ["queued", "running", "waiting_approval", "waiting_input"];
