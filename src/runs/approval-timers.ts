import type { Logger } from "../logger.js";
import { type JobPayload, jobId } from "../queue/catalog.js";
import type { Queues } from "../queue/queues.js";
import { showDecision } from "../slack/actions/approval-message.js";
import type { SlackClients } from "../slack/clients.js";
import type { Database } from "../storage/database.js";
import { approvalSettings } from "./approval-settings.js";
import { resume } from "./decide-approval.js";
import { isEnded } from "./run-statuses.js";

/**
 * A parked run holds no worker while it waits for a decision, for as long as policy allows (default:
 * no limit). Two delayed jobs watch a pending approval: a reminder in the thread after
 * `remindAfterMinutes`, and, only if policy sets `expireAfterMinutes`, the request lapsing (it is
 * denied, so the model is told and the run continues). Both are idempotent and do nothing once the
 * approval is decided.
 */
export interface TimerServices {
  database: Database;
  queues: Queues;
  slack: SlackClients;
  logger: Logger;
  now(): number;
}

export type TimerOutcome = "reminded" | "expired" | "skipped";

/** Call once the approval message is posted. Delays count from the approval's creation. */
export async function scheduleApprovalTimers(
  services: Pick<TimerServices, "database" | "queues" | "now">,
  approvalId: string,
): Promise<void> {
  const approval = await services.database.approval.findUnique({
    where: { id: approvalId },
    include: { run: { select: { workspaceId: true } } },
  });
  if (approval?.status !== "pending") return;
  const settings = await approvalSettings(services.database, approval.run.workspaceId, approval.channel);
  const age = services.now() - approval.createdAt.getTime();
  const timers: Array<[JobPayload<"approval.timer">["kind"], number | undefined]> = [
    ["remind", settings.remindAfterMs],
    ["expire", settings.expireAfterMs],
  ];
  for (const [kind, after] of timers) {
    if (after === undefined) continue;
    await services.queues.enqueue(
      "approval.timer",
      { approvalId, kind },
      { jobId: jobId("approval", approvalId, kind), delay: Math.max(0, after - age) },
    );
  }
}

export async function runApprovalTimer(
  services: TimerServices,
  payload: JobPayload<"approval.timer">,
): Promise<TimerOutcome> {
  return payload.kind === "remind"
    ? remind(services, payload.approvalId)
    : expire(services, payload.approvalId);
}

async function remind(services: TimerServices, approvalId: string): Promise<TimerOutcome> {
  const { database } = services;
  const approval = await database.approval.findUnique({
    where: { id: approvalId },
    include: { run: { include: { task: true } } },
  });
  if (approval?.status !== "pending" || isEnded(approval.run.status)) return "skipped";
  // Claim the reminder first: at most one reminder per approval, even if the job runs twice.
  const claimed = await database.approval.updateMany({
    where: { id: approvalId, status: "pending", remindedAt: null },
    data: { remindedAt: new Date(services.now()) },
  });
  if (claimed.count === 0) return "skipped";
  const { run } = approval;
  const settings = await approvalSettings(database, run.workspaceId, approval.channel);
  const people = [...new Set([...approval.approvers, ...settings.approvers])].map((user) => `<@${user}>`);
  const client = await services.slack.forWorkspace(run.workspaceId);
  const link = approval.messageTs
    ? await client.chat
        .getPermalink({ channel: approval.channel, message_ts: approval.messageTs })
        .then((response) => response.permalink)
        .catch(() => undefined)
    : undefined;
  const request = link ? `<${link}|this request>` : "the request above";
  await client.chat.postMessage({
    channel: approval.channel,
    thread_ts: run.task.threadTs,
    text: `:bell: ${people.join(", ")} I'm still waiting for a decision on ${request} (\`${approval.tool}\`) before I can continue.`,
    unfurl_links: false,
  });
  return "reminded";
}

async function expire(services: TimerServices, approvalId: string): Promise<TimerOutcome> {
  const { database } = services;
  const approval = await database.approval.findUnique({
    where: { id: approvalId },
    include: { run: { select: { workspaceId: true, status: true } } },
  });
  if (approval?.status !== "pending" || isEnded(approval.run.status)) return "skipped";
  const minutes = Math.round((services.now() - approval.createdAt.getTime()) / 60_000);
  const changed = await database.approval.updateMany({
    where: { id: approvalId, status: "pending" },
    data: {
      status: "denied",
      decidedAt: new Date(services.now()),
      reason: `Nobody decided within ${minutes} minute${minutes === 1 ? "" : "s"}, so the request lapsed.`,
    },
  });
  if (changed.count === 0) return "skipped";
  await resume(services.queues, approval);
  const decided = await database.approval.findUniqueOrThrow({ where: { id: approvalId } });
  const client = await services.slack.forWorkspace(approval.run.workspaceId);
  await showDecision(client, database, services.logger, decided);
  return "expired";
}
