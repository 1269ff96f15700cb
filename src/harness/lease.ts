import type { Database } from "../storage/database.js";

/**
 * One executor per run. Two jobs can race for the same run (a resume enqueued while the previous job
 * is still finishing, or a recovered job while the old worker is alive but stalled); the lease makes
 * the second wait. The owner is the job id, which stays the same when BullMQ recovers a stalled job,
 * so a recovered job takes its own lease back at once instead of waiting for it to expire.
 */
export const leaseMs = 30_000;

export interface Lease {
  release(): Promise<void>;
}

export async function acquireLease(
  database: Database,
  runId: string,
  owner: string,
): Promise<Lease | undefined> {
  const taken = await database.$executeRaw`
    UPDATE "Run" SET "leaseOwner" = ${owner}, "leaseExpiresAt" = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE id = ${runId} AND ("leaseOwner" IS NULL OR "leaseOwner" = ${owner} OR "leaseExpiresAt" < now())`;
  if (taken === 0) return undefined;
  const timer = setInterval(() => {
    void database.$executeRaw`
      UPDATE "Run" SET "leaseExpiresAt" = now() + make_interval(secs => ${leaseMs / 1000})
      WHERE id = ${runId} AND "leaseOwner" = ${owner}`.catch(() => undefined);
  }, leaseMs / 3);
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      await database.$executeRaw`
        UPDATE "Run" SET "leaseOwner" = NULL, "leaseExpiresAt" = NULL WHERE id = ${runId} AND "leaseOwner" = ${owner}`;
    },
  };
}
