/**
 * BullMQ's lock and stalled-job settings for the run workers, chosen so a run whose worker is
 * SIGKILLed (or loses its machine) continues on another worker within 15 s, while runs that last
 * hours keep their job:
 *
 * - A job is handed to another worker only after its lock has expired and a stalled check has seen
 *   it twice (once to mark it, once to move it). The checks are shared by all workers through one
 *   Redis key, and when the worker that ran the last check is the one that died, the next check can
 *   be skipped once. Worst case: lockDuration + 2 × stalledInterval = 8 + 4 = 12 s, plus the
 *   survivor picking the job up and loading the checkpoint (well under a second).
 * - Hours-long runs are safe because the lock is renewed every lockRenewTime (2 s) for as long as
 *   the worker's event loop is free, whatever the job's length: the job is lost only if the event
 *   loop is blocked for about 6 s (8 s lock minus one renewal period), which nothing in a run does
 *   (tools, models and the sandbox are asynchronous I/O). Even then side effects are not repeated
 *   (the ledger's idempotency keys); at worst a model turn is asked twice. A 30 s lock (BullMQ's
 *   default) would tolerate longer stalls but leave a dead worker's run waiting up to 40 s.
 * - The cost is Redis traffic: one lock renewal per worker every 2 s (all its jobs in one call) and
 *   one small stalled-check script per worker every 2 s. Negligible next to the runs themselves.
 * - maxStalledCount is high because a crash is not the job's fault; the run's own budgets end
 *   runaway runs.
 *
 * bench/recovery.ts measures the kill-to-continue time with exactly these settings
 * (bench/results/bench.md); docs/operations.md explains them to operators.
 */
export const workerSettings = {
  lockDuration: 8_000,
  lockRenewTime: 2_000,
  stalledInterval: 2_000,
  maxStalledCount: 1000,
};

export type WorkerSettings = typeof workerSettings;

/**
 * The settings with overrides (tests shorten the lock). The renewal follows a shortened lock (a
 * quarter of it) unless given, so a lock is never renewed only after it expired.
 */
export function lockSettings(overrides: Partial<WorkerSettings> = {}): WorkerSettings {
  const lockDuration = overrides.lockDuration ?? workerSettings.lockDuration;
  return {
    ...workerSettings,
    ...overrides,
    lockDuration,
    lockRenewTime:
      overrides.lockRenewTime ??
      (overrides.lockDuration === undefined ? workerSettings.lockRenewTime : Math.floor(lockDuration / 4)),
  };
}
