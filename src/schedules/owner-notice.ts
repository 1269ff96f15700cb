import type { Logger } from "../logger.js";
import type { SlackClient } from "../slack/clients.js";
import { describeSchedule } from "./describe.js";
import { shortId } from "./ids.js";
import { policyText } from "./replies.js";
import type { ScheduleRecord } from "./store.js";

/**
 * A schedule runs with its owner's access, so the owner hears of every change someone else makes
 * (an admin pausing, editing or deleting it), by DM. A pause or an edit by someone else leaves the
 * schedule paused until the owner confirms, with the button here or `schedule resume`. The button
 * carries the schedule's version: it confirms only the state the owner was told about.
 */
export const confirmActionId = "schedule.confirm";

export type ChangeByOther =
  | { type: "paused" }
  | { type: "deleted" }
  | { type: "edited"; before: ScheduleRecord };

export function confirmValue(schedule: Pick<ScheduleRecord, "id" | "version">): string {
  return `${schedule.id}:${schedule.version}`;
}

export function readConfirmValue(value: string): { id: string; version: number } | undefined {
  const match = /^([0-9a-f-]{36}):(\d{1,9})$/.exec(value);
  return match ? { id: match[1]!, version: Number(match[2]) } : undefined;
}

/** Whether a change by `userId` needs the owner's word: anyone but the owner. */
export function changedByOther(schedule: Pick<ScheduleRecord, "ownerId">, userId: string): boolean {
  return schedule.ownerId !== userId;
}

/** The before → after lines of an edit, in words. */
export function editedLines(before: ScheduleRecord, after: ScheduleRecord): string[] {
  const lines: string[] = [];
  if (before.name !== after.name) lines.push(`• Name: ${before.name} → ${after.name}`);
  const timing = (schedule: ScheduleRecord) => describeSchedule(schedule.cron, schedule.timezone);
  if (timing(before) !== timing(after)) lines.push(`• When: ${timing(before)} → ${timing(after)}`);
  if (policyText(before) !== policyText(after)) {
    lines.push(`• Was: ${policyText(before)}`, `• Now: ${policyText(after)}`);
  }
  return lines;
}

export function ownerNoticeMessage(schedule: ScheduleRecord, actorId: string, change: ChangeByOther) {
  const label = `*${schedule.name}* (\`${shortId(schedule.id)}\`, posting in <#${schedule.channel}>)`;
  if (change.type === "deleted") {
    const text = `:wastebasket: <@${actorId}> deleted your schedule ${label}. It will not run again.`;
    return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
  }
  const what =
    change.type === "paused"
      ? `:double_vertical_bar: <@${actorId}> paused your schedule ${label}.`
      : [
          `:pencil2: <@${actorId}> changed your schedule ${label}:`,
          ...editedLines(change.before, schedule),
        ].join("\n");
  const text = `${what}\nIt stays paused until you confirm it may run again.`;
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: text.slice(0, 3000) } },
      {
        type: "actions",
        block_id: `schedule.confirm.${schedule.id}`,
        elements: [
          {
            type: "button",
            action_id: confirmActionId,
            style: "primary",
            text: { type: "plain_text", text: "Confirm and resume" },
            value: confirmValue(schedule),
          },
        ],
      },
    ],
  };
}

/** DMs the owner (a user id as the channel opens the app's DM with them); a failure is logged. */
export async function tellOwner(
  client: SlackClient,
  logger: Logger | undefined,
  schedule: ScheduleRecord,
  actorId: string,
  change: ChangeByOther,
): Promise<void> {
  try {
    await client.chat.postMessage({
      channel: schedule.ownerId,
      ...ownerNoticeMessage(schedule, actorId, change),
    });
  } catch (error) {
    logger?.warn({ error: String(error), scheduleId: schedule.id }, "could not tell the schedule's owner");
  }
}
