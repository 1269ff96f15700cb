import type { Redis } from "ioredis";
import { publishCancel } from "../queue/cancellation.js";
import type { Queues } from "../queue/queues.js";
import { enqueueRun } from "../slack/intake.js";
import type { Database, Prisma } from "../storage/database.js";
import { isEnded } from "./run-statuses.js";

/**
 * Stopping a run, from the Stop button or `/coworker cancel`. Only the requester or a workspace admin
 * may. The request is recorded in Postgres (a run between jobs or parked sees it), published on Redis
 * (the worker holding the run aborts it at once), and a job is enqueued so a parked or queued run is
 * picked up and ends as cancelled. Approvals still waiting are closed as denied: nobody can approve
 * an action of a stopped run.
 */
export type Run = Prisma.RunModel;

export interface CancelRequest {
  workspaceId: string;
  runId: string;
  userId: string;
  /** Asked only when the person is not the requester (a users.info call). */
  isAdmin(): Promise<boolean>;
}

export type CancelResult =
  | { type: "cancelling"; run: Run; closedApprovals: Prisma.ApprovalModel[] }
  | { type: "refused"; reason: "not_found" | "forbidden" | "ended"; run?: Run };

export interface CancelServices {
  database: Database;
  queues: Queues;
  redis: Redis;
  config: { queuePrefix: string };
  now(): number;
}

export async function cancelRun(services: CancelServices, request: CancelRequest): Promise<CancelResult> {
  const { database } = services;
  const run = await database.run.findUnique({ where: { id: request.runId } });
  if (!run || run.workspaceId !== request.workspaceId) return { type: "refused", reason: "not_found" };
  if (isEnded(run.status)) return { type: "refused", reason: "ended", run };
  if (run.requesterId !== request.userId && !(await request.isAdmin())) {
    return { type: "refused", reason: "forbidden", run };
  }
  const at = new Date(services.now());
  await database.run.updateMany({
    where: { id: run.id, cancelRequestedAt: null },
    data: { cancelRequestedAt: at },
  });
  await publishCancel(services.redis, services.config.queuePrefix, run.id);
  const pending = await database.approval.findMany({ where: { runId: run.id, status: "pending" } });
  await database.approval.updateMany({
    where: { id: { in: pending.map((approval) => approval.id) }, status: "pending" },
    data: { status: "denied", decidedBy: request.userId, decidedAt: at, reason: "The task was stopped." },
  });
  const closedApprovals = await database.approval.findMany({
    where: { id: { in: pending.map((approval) => approval.id) }, status: "denied", decidedAt: at },
  });
  // A worker holding the run ends it on the published signal; anything else (parked, queued, or held
  // by a worker that died) is ended by this job, which does nothing if the run has already ended.
  await enqueueRun(services.queues, run.id, "cancel");
  return { type: "cancelling", run, closedApprovals };
}
