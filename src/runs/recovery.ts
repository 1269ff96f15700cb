import type { Logger } from "../logger.js";
import { runEvents } from "../observability/run-events.js";
import type { Queues } from "../queue/queues.js";
import { enqueueRun } from "../slack/intake.js";
import type { Database } from "../storage/database.js";

/**
 * The safety net behind "nothing is lost": work that is recorded in Postgres but whose job was lost
 * (a process died between a commit and the enqueue that follows it) is enqueued again. Job ids are
 * deterministic, so enqueueing what already exists adds nothing, and the run's lease and checkpoint
 * make a second job harmless.
 * - a run still queued a minute after it was created;
 * - a run parked on an approval that has been decided.
 */
export async function recoverLostWork(
  services: { database: Database; queues: Queues; logger: Logger; now(): number },
  olderThanMs = 60_000,
): Promise<number> {
  const before = new Date(services.now() - olderThanMs);
  const queued = await services.database.run.findMany({
    where: { status: "queued", createdAt: { lt: before } },
    select: { id: true, workspaceId: true, taskId: true },
    take: 500,
  });
  for (const run of queued) {
    await enqueueRun(services.queues, run.id, "start");
    requeued(services.logger, { workspaceId: run.workspaceId, taskId: run.taskId, runId: run.id }, "queued");
  }
  const decided = await services.database.approval.findMany({
    where: {
      status: { in: ["approved", "denied"] },
      decidedAt: { lt: before },
      run: { status: "waiting_approval" },
    },
    select: { id: true, runId: true, run: { select: { workspaceId: true, taskId: true } } },
    take: 500,
  });
  for (const approval of decided) {
    await enqueueRun(services.queues, approval.runId, `approval-${approval.id}`);
    const ids = { workspaceId: approval.run.workspaceId, taskId: approval.run.taskId, runId: approval.runId };
    requeued(services.logger, ids, "approval_decided");
  }
  const count = queued.length + decided.length;
  if (count > 0)
    services.logger.warn({ queued: queued.length, decided: decided.length }, "re-enqueued lost work");
  return count;
}

function requeued(
  logger: Logger,
  ids: { workspaceId: string; taskId: string; runId: string },
  waiting: "queued" | "approval_decided",
): void {
  logger.info({ event: runEvents.requeued, ...ids, waiting }, "run re-enqueued after its job was lost");
}
