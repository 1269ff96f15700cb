import { endedRunStatuses } from "../runs/run-statuses.js";
import type { Database } from "./database.js";

/**
 * Data is not kept forever. Slack event ids exist only to recognise Slack's retries, which come
 * within minutes, so they go after `slackEventMinutes` (an hour by default). Finished runs keep
 * their data (steps, tool calls, artifacts, approvals, the checkpoint and the prompt; steering
 * messages in their thread) for the workspace's retention (`Workspace.runRetentionDays`, else
 * `runDataDays`); then it is deleted and the Run row stays as a summary (status, times, token
 * counts and cost) with `prunedAt` set.
 *
 * Every worker replica runs this sweep: each statement takes a bounded batch of rows, skipping rows
 * another replica holds (`FOR UPDATE SKIP LOCKED`), so replicas never wait on each other or count
 * the same row twice, and running it again deletes nothing more.
 */
export interface RetentionSettings {
  runDataDays: number;
  slackEventMinutes: number;
  /** Rows (runs, events, messages) per statement. */
  batchSize?: number;
}

export interface Pruned {
  slackEvents: number;
  runs: number;
  steps: number;
  toolCalls: number;
  artifacts: number;
  approvals: number;
  threadMessages: number;
}

const defaultBatchSize = 200;
/** At most this many batches of each kind per sweep, so one sweep never runs for long. */
const maxBatches = 50;

export async function pruneExpiredData(
  services: { database: Database; now(): number },
  settings: RetentionSettings,
): Promise<Pruned> {
  const batchSize = settings.batchSize ?? defaultBatchSize;
  const now = new Date(services.now());
  const pruned: Pruned = {
    slackEvents: 0,
    runs: 0,
    steps: 0,
    toolCalls: 0,
    artifacts: 0,
    approvals: 0,
    threadMessages: 0,
  };
  const eventsBefore = new Date(now.getTime() - settings.slackEventMinutes * 60_000);
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const deleted = await pruneSlackEvents(services.database, eventsBefore, batchSize);
    pruned.slackEvents += deleted;
    if (deleted < batchSize) break;
  }
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const counts = await pruneRuns(services.database, now, settings.runDataDays, batchSize);
    for (const key of ["runs", "steps", "toolCalls", "artifacts", "approvals"] as const)
      pruned[key] += counts[key];
    if (counts.runs < batchSize) break;
  }
  for (let batch = 0; batch < maxBatches; batch += 1) {
    const deleted = await pruneThreadMessages(services.database, now, settings.runDataDays, batchSize);
    pruned.threadMessages += deleted;
    if (deleted < batchSize) break;
  }
  return pruned;
}

function pruneSlackEvents(database: Database, before: Date, batchSize: number): Promise<number> {
  return database.$executeRaw`
    DELETE FROM "SlackEvent" WHERE "id" IN (
      SELECT "id" FROM "SlackEvent" WHERE "receivedAt" < ${before}
      LIMIT ${batchSize} FOR UPDATE SKIP LOCKED
    )`;
}

/** One batch of finished runs past their workspace's retention: their data deleted, the row kept. */
async function pruneRuns(
  database: Database,
  now: Date,
  defaultDays: number,
  batchSize: number,
): Promise<Omit<Pruned, "slackEvents" | "threadMessages">> {
  const rows = await database.$queryRaw<
    { runs: bigint; steps: bigint; toolCalls: bigint; artifacts: bigint; approvals: bigint }[]
  >`
    WITH "doomed" AS (
      SELECT r."id" FROM "Run" AS r
      LEFT JOIN "Workspace" AS w ON w."id" = r."workspaceId"
      WHERE r."prunedAt" IS NULL
        AND r."endedAt" IS NOT NULL
        AND r."status" = ANY(${endedRunStatuses})
        AND r."endedAt" < ${now}::timestamp - make_interval(days => COALESCE(w."runRetentionDays", ${defaultDays}::int))
      ORDER BY r."endedAt"
      LIMIT ${batchSize}
      FOR UPDATE OF r SKIP LOCKED
    ),
    "steps" AS (DELETE FROM "Step" WHERE "runId" IN (SELECT "id" FROM "doomed") RETURNING 1),
    "toolCalls" AS (DELETE FROM "ToolCall" WHERE "runId" IN (SELECT "id" FROM "doomed") RETURNING 1),
    "artifacts" AS (DELETE FROM "Artifact" WHERE "runId" IN (SELECT "id" FROM "doomed") RETURNING 1),
    "approvals" AS (DELETE FROM "Approval" WHERE "runId" IN (SELECT "id" FROM "doomed") RETURNING 1),
    "runs" AS (
      UPDATE "Run" SET "prunedAt" = ${now}::timestamp, "state" = NULL, "prompt" = ''
      WHERE "id" IN (SELECT "id" FROM "doomed") RETURNING 1
    )
    SELECT (SELECT count(*) FROM "runs") AS "runs", (SELECT count(*) FROM "steps") AS "steps",
      (SELECT count(*) FROM "toolCalls") AS "toolCalls", (SELECT count(*) FROM "artifacts") AS "artifacts",
      (SELECT count(*) FROM "approvals") AS "approvals"`;
  const row = rows[0];
  return {
    runs: Number(row?.runs ?? 0),
    steps: Number(row?.steps ?? 0),
    toolCalls: Number(row?.toolCalls ?? 0),
    artifacts: Number(row?.artifacts ?? 0),
    approvals: Number(row?.approvals ?? 0),
  };
}

/**
 * Steering messages older than the workspace's retention, in threads with no run still going (a
 * parked run may yet read them). Replies in threads that never became a task go much sooner
 * (forgetUnclaimedReplies).
 */
function pruneThreadMessages(database: Database, now: Date, defaultDays: number, batchSize: number) {
  return database.$executeRaw`
    DELETE FROM "ThreadMessage" WHERE "id" IN (
      SELECT m."id" FROM "ThreadMessage" AS m
      LEFT JOIN "Workspace" AS w ON w."id" = m."workspaceId"
      WHERE m."createdAt" < ${now}::timestamp - make_interval(days => COALESCE(w."runRetentionDays", ${defaultDays}::int))
        AND NOT EXISTS (
          SELECT 1 FROM "Task" AS t JOIN "Run" AS r ON r."taskId" = t."id"
          WHERE t."workspaceId" = m."workspaceId" AND t."channel" = m."channel"
            AND t."threadTs" = m."threadTs" AND NOT (r."status" = ANY(${endedRunStatuses}))
        )
      LIMIT ${batchSize} FOR UPDATE OF m SKIP LOCKED
    )`;
}
