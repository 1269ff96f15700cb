import type { Database, Prisma } from "../storage/database.js";
import type { ScheduleRecord } from "./store.js";

/**
 * The two locks of the firing path, both in Postgres so they die with the process that holds them:
 * - the schedule's row lock (`SELECT ... FOR UPDATE`) serializes every decision about a schedule's
 *   slots with pause, resume, edit and delete;
 * - an advisory lock per Slack post (transaction-scoped, keyed by a text key) makes one process at a
 *   time post a given header or notice. The work inside uses the ordinary client, so its writes (the
 *   "posting" marker) commit at once while the lock is held on another connection. It is only tried:
 *   a second process backs off instead of waiting with a connection and a worker slot held.
 */
export type Transaction = Prisma.TransactionClient;

export async function lockSchedule(
  transaction: Transaction,
  id: string,
): Promise<ScheduleRecord | undefined> {
  await transaction.$queryRaw`SELECT "id" FROM "Schedule" WHERE "id" = ${id} FOR UPDATE`;
  return (await transaction.schedule.findUnique({ where: { id } })) ?? undefined;
}

/** Long enough for a Slack call with its retries; bounded, so a stuck holder cannot block forever. */
const ADVISORY_LOCK_TIMEOUT_MS = 120_000;

export type Locked<T> = { acquired: true; value: T } | { acquired: false };

/**
 * Runs `work` while holding the advisory lock for `key`, or returns `{ acquired: false }` at once
 * when another process holds it (it is doing the same work; the caller checks back later instead
 * of holding a worker while it waits).
 */
export async function withAdvisoryLock<T>(
  database: Database,
  key: string,
  work: () => Promise<T>,
): Promise<Locked<T>> {
  return database.$transaction(
    async (transaction): Promise<Locked<T>> => {
      const [row] = await transaction.$queryRaw<Array<{ locked: boolean }>>`
        SELECT pg_try_advisory_xact_lock(hashtextextended(${key}, 0)) AS "locked"`;
      if (!row?.locked) return { acquired: false };
      return { acquired: true, value: await work() };
    },
    { timeout: ADVISORY_LOCK_TIMEOUT_MS, maxWait: 10_000 },
  );
}
