import { describeSchedule } from "./describe.js";
import { shortId } from "./ids.js";
import { formatRunTime } from "./preview.js";
import type { ScheduleRecord } from "./store.js";

/**
 * What a schedule posts in its channel: the header that opens each run's thread, and the notice
 * about runs missed while no scheduler was up. Both name the schedule and say how to manage it.
 * Names and prompts are shown as typed: they come from Slack, already in its markup.
 */
export const manageActionId = "schedule.manage";

type HeaderSchedule = Pick<
  ScheduleRecord,
  "id" | "name" | "prompt" | "ownerId" | "cron" | "timezone" | "workspaceId"
>;

export function manageHint(command: string, schedule: Pick<ScheduleRecord, "id">): string {
  return `Manage: \`${command} schedule list\` · \`${command} schedule pause ${shortId(schedule.id)}\``;
}

export function headerMessage(
  schedule: HeaderSchedule,
  run: { scheduledAt: Date; late: boolean; manualBy?: string },
  command: string,
): { text: string; blocks: unknown[] } {
  const when = safeDescription(schedule);
  const timing = run.manualBy
    ? `Run now by <@${run.manualBy}>`
    : run.late
      ? `:warning: Running late: this run was due ${formatRunTime(run.scheduledAt, schedule.timezone)}`
      : `${when}`;
  const text = `:repeat: Scheduled run: ${schedule.name}`;
  return {
    text,
    blocks: [
      {
        type: "section",
        block_id: "schedule.header",
        text: { type: "mrkdwn", text: `:repeat: *${schedule.name}*\n${clip(schedule.prompt, 2500)}` },
        accessory: {
          type: "button",
          action_id: manageActionId,
          text: { type: "plain_text", text: "Manage schedule" },
          value: schedule.id,
        },
      },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: clip(
              `${timing} · owner <@${schedule.ownerId}> · id \`${shortId(schedule.id)}\` · ${manageHint(command, schedule)}`,
              2900,
            ),
          },
        ],
      },
    ],
  };
}

export function missedNotice(
  schedule: HeaderSchedule,
  missed: Date[],
  options: { countIsLowerBound: boolean; policy: string },
  command: string,
): { text: string; blocks: unknown[] } {
  const count = missed.length;
  const shown = missed.slice(-5).map((slot) => formatRunTime(slot, schedule.timezone));
  const more = count > shown.length ? ` (the last ${shown.length} shown)` : "";
  const countText = `${options.countIsLowerBound ? "at least " : ""}${count} run${count === 1 ? "" : "s"}`;
  const text =
    `:warning: *${schedule.name}* missed ${countText} while I was unavailable${more}: ` +
    `${shown.join("; ")}. ` +
    (options.policy === "latest"
      ? "They were too old to run late, so I skipped them."
      : "I skipped them rather than run them late; the next run is on schedule.");
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: clip(text, 2900) } },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: clip(`id \`${shortId(schedule.id)}\` · ${manageHint(command, schedule)}`, 2900),
          },
        ],
      },
    ],
  };
}

function safeDescription(schedule: Pick<ScheduleRecord, "cron" | "timezone">): string {
  try {
    return describeSchedule(schedule.cron, schedule.timezone);
  } catch {
    return `\`${schedule.cron}\` (${schedule.timezone})`;
  }
}

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
