import { approvalToken } from "../../harness/approvals.js";
import { describeApproval } from "../../runs/approval-request.js";
import { approvalSettingsFrom, mayDecide } from "../../runs/approval-settings.js";
import { activeRunStatuses, describeStatus } from "../../runs/run-statuses.js";
import { approvalTarget, decisionButtons } from "../blocks/approval.js";
import { linked, permalinkOf } from "../blocks/permalink.js";
import { escapeText, slackDate } from "../blocks/text.js";
import type { SlackClient } from "../clients.js";
import type { HomeSection } from "./section.js";

/**
 * App Home: the approvals waiting for you (with the same Approve/Deny buttons as in the thread) and
 * your recent tasks with their state and a link to their thread.
 */
const recentTaskCount = 10;
const approvalCount = 10;

const icons: Record<string, string> = {
  queued: ":hourglass:",
  running: ":hourglass_flowing_sand:",
  waiting_approval: ":raised_hand:",
  waiting_input: ":speech_balloon:",
  completed: ":white_check_mark:",
  failed: ":x:",
  cancelled: ":octagonal_sign:",
  stopped: ":double_vertical_bar:",
};

export const pendingApprovalsSection: HomeSection = {
  name: "approvals",
  async blocks(services, viewer) {
    const client = await services.slack.forWorkspace(viewer.workspaceId);
    const workspace = await services.database.workspace.findUnique({
      where: { id: viewer.workspaceId },
      select: { policy: true },
    });
    const pending = await services.database.approval.findMany({
      where: {
        status: "pending",
        run: { workspaceId: viewer.workspaceId, status: { in: activeRunStatuses } },
      },
      orderBy: { createdAt: "desc" },
      take: 100,
    });
    const mine = pending
      .filter((approval) =>
        mayDecide(approval, approvalSettingsFrom(workspace?.policy, approval.channel), viewer.userId),
      )
      .slice(0, approvalCount);
    const blocks: unknown[] = [header("Waiting for your approval")];
    if (mine.length === 0) return [...blocks, note("Nothing is waiting for you.")];
    for (const approval of mine) {
      const request = await describeApproval(services.database, approval);
      const link = approval.messageTs
        ? await permalinkOf(client, approval.channel, approval.messageTs)
        : undefined;
      const target = approvalTarget(request.arguments);
      blocks.push(
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: [
              `*\`${escapeText(request.tool)}\`*: ${escapeText(request.summary)}`,
              ...(target ? [`Target: ${target}`] : []),
              `Asked ${slackDate(approval.createdAt)} · ${linked("open the thread", link)}`,
            ]
              .join("\n")
              .slice(0, 3000),
          },
        },
        decisionButtons(
          { approvalId: approval.id, token: approvalToken(services.keys.approvals, approval) },
          { blockId: `approval.decision.${approval.id}`, details: true },
        ),
      );
    }
    return blocks;
  },
};

export const recentTasksSection: HomeSection = {
  name: "tasks",
  async blocks(services, viewer) {
    const client = await services.slack.forWorkspace(viewer.workspaceId);
    const runs = await services.database.run.findMany({
      where: { workspaceId: viewer.workspaceId, requesterId: viewer.userId },
      include: { task: true },
      orderBy: { createdAt: "desc" },
      take: recentTaskCount,
    });
    const blocks: unknown[] = [header("Your recent tasks")];
    if (runs.length === 0) {
      return [...blocks, note("No tasks yet. Mention me in a channel or send me a message to start one.")];
    }
    const lines = await Promise.all(runs.map((run) => taskLine(client, run)));
    return [...blocks, ...lines];
  },
};

async function taskLine(
  client: SlackClient,
  run: { channel: string; prompt: string; status: string; createdAt: Date; task: { threadTs: string } },
) {
  const link = await permalinkOf(client, run.channel, run.task.threadTs);
  const title = run.prompt.length > 120 ? `${run.prompt.slice(0, 119)}…` : run.prompt;
  return {
    type: "section",
    text: {
      type: "mrkdwn",
      text: `${linked(title, link)}\n${icons[run.status] ?? ""} ${describeStatus(run.status)} · ${slackDate(run.createdAt)}`.slice(
        0,
        3000,
      ),
    },
  };
}

function header(text: string) {
  return { type: "header", text: { type: "plain_text", text } };
}

function note(text: string) {
  return { type: "context", elements: [{ type: "mrkdwn", text }] };
}
