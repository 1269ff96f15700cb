import type { Logger } from "../logger.js";
import { runEvents } from "../observability/run-events.js";
import type { Queues } from "../queue/queues.js";
import { enqueueRun } from "../slack/intake.js";
import type { Database, Prisma } from "../storage/database.js";
import { approvalSettings, mayDecide } from "./approval-settings.js";
import { isValidApprovalToken } from "./approval-token.js";
import { isEnded } from "./run-statuses.js";

/**
 * Deciding on a risky tool call. A click counts only if its token matches the stored approval (bound
 * to run, call and arguments hash), it comes from the same workspace, the person may decide (the
 * requester, or a configured approver), the request is still pending and its run has not ended. The
 * row moves pending -> approved/denied in one conditional update, so of two clicks (or a replay)
 * exactly one wins. Then the parked run is resumed with a job id unique to the approval.
 */
export type Approval = Prisma.ApprovalModel;

export interface ApprovalClick {
  workspaceId: string;
  approvalId: string;
  token: string;
  userId: string;
}

export type Refusal = "invalid" | "forbidden" | "already_decided" | "ended";

export type ApprovalCheck =
  | { type: "allowed"; approval: Approval; run: { workspaceId: string; taskId: string } }
  | { type: "refused"; reason: Refusal; approval?: Approval; approvers?: string[] };

export type Decision = { type: "decided"; approval: Approval } | Extract<ApprovalCheck, { type: "refused" }>;

export interface DecisionServices {
  database: Database;
  queues: Queues;
  keys: { approvals: Buffer };
  now(): number;
  /** Where the decision is logged (`approval.decided`), when given. */
  logger?: Logger;
}

export const maxReasonLength = 1000;

/** Everything but the decision itself: used before opening the "reason" dialog, and by `decideApproval`. */
export async function checkApproval(
  services: DecisionServices,
  click: ApprovalClick,
): Promise<ApprovalCheck> {
  const { database } = services;
  const found = await findVerifiedApproval(services, click);
  if (!found) return { type: "refused", reason: "invalid" };
  const { run, ...approval } = found;
  const settings = await approvalSettings(database, run.workspaceId, approval.channel);
  if (!mayDecide(approval, settings, click.userId)) {
    const approvers = [...new Set([...approval.approvers, ...settings.approvers])];
    return { type: "refused", reason: "forbidden", approval, approvers };
  }
  if (approval.status !== "pending") {
    // The decision is recorded; if the process died before resuming the run, resume it now.
    if (run.status === "waiting_approval") await resume(services.queues, approval);
    return { type: "refused", reason: "already_decided", approval };
  }
  if (isEnded(run.status)) return { type: "refused", reason: "ended", approval };
  return { type: "allowed", approval, run: { workspaceId: run.workspaceId, taskId: run.taskId } };
}

/** The approval a button names, if its token is genuine and it belongs to the clicker's workspace. */
export async function findVerifiedApproval(
  services: Pick<DecisionServices, "database" | "keys">,
  click: Omit<ApprovalClick, "userId">,
) {
  const found = await services.database.approval.findUnique({
    where: { id: click.approvalId },
    include: { run: { select: { workspaceId: true, taskId: true, status: true } } },
  });
  if (!found || !isValidApprovalToken(services.keys.approvals, found, click.token)) return undefined;
  return found.run.workspaceId === click.workspaceId ? found : undefined;
}

export async function decideApproval(
  services: DecisionServices,
  click: ApprovalClick & { approved: boolean; reason?: string },
): Promise<Decision> {
  const check = await checkApproval(services, click);
  if (check.type === "refused") return check;
  const reason = click.approved ? null : cleanReason(click.reason);
  const changed = await services.database.approval.updateMany({
    where: { id: check.approval.id, status: "pending" },
    data: {
      status: click.approved ? "approved" : "denied",
      decidedBy: click.userId,
      decidedAt: new Date(services.now()),
      reason,
    },
  });
  const approval = await services.database.approval.findUniqueOrThrow({ where: { id: check.approval.id } });
  if (changed.count === 0) return { type: "refused", reason: "already_decided", approval };
  services.logger?.info(
    {
      event: runEvents.approvalDecided,
      workspaceId: check.run.workspaceId,
      taskId: check.run.taskId,
      runId: approval.runId,
      approvalId: approval.id,
      decision: approval.status,
      decidedBy: approval.decidedBy,
    },
    "approval decided",
  );
  await resume(services.queues, approval);
  return { type: "decided", approval };
}

/** Continues the parked run; the job id is unique to the approval, so resuming twice adds one job. */
export async function resume(queues: Queues, approval: { id: string; runId: string }): Promise<void> {
  await enqueueRun(queues, approval.runId, `approval-${approval.id}`);
}

function cleanReason(reason: string | undefined): string | null {
  const text = reason?.trim() ?? "";
  if (text === "") return null;
  return text.length > maxReasonLength ? `${text.slice(0, maxReasonLength)}…` : text;
}
