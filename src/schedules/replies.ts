import { describeSchedule } from "./describe.js";
import { shortId } from "./ids.js";
import type { Created } from "./manage.js";
import type { ScheduleParseFailure } from "./parse-failure.js";
import { formatRunTime } from "./preview.js";
import type { ScheduleRecord } from "./store.js";
import { cronTimetable, nextSlot } from "./timetable.js";

/** What the schedule commands answer, as Slack mrkdwn. */
export const editActionId = "schedule.edit";

const timezoneNotes: Record<Created["timezoneSource"], string> = {
  named: "as you asked",
  profile: "your Slack timezone",
  default: "your Slack profile has no timezone, so UTC; add `in Europe/Warsaw` to choose one",
};

export function createdText(result: Created, command: string): string {
  const { schedule, preview } = result;
  const id = shortId(schedule.id);
  return [
    `:white_check_mark: ${result.created ? "Scheduled" : "Already scheduled"} *${schedule.name}* (id \`${id}\`) in <#${schedule.channel}>.`,
    `*When:* ${preview.description}, cron \`${preview.cron}\``,
    `*Timezone:* ${preview.timezone} (${timezoneNotes[result.timezoneSource]})`,
    `*Task:* ${schedule.prompt}`,
    "*Next runs:*",
    ...preview.nextRuns.map((run) => `• ${run.text}`),
    policyText(schedule),
    `Manage it: \`${command} schedule list\`, \`${command} schedule pause ${id}\`, \`${command} schedule run ${id}\`, \`${command} schedule delete ${id}\`.`,
  ].join("\n");
}

export function policyText(
  schedule: Pick<ScheduleRecord, "overlapPolicy" | "missedPolicy" | "missedMaxAgeMinutes">,
): string {
  const overlap =
    schedule.overlapPolicy === "queue"
      ? "A run due while the previous one is still going waits for it."
      : "A run due while the previous one is still going is skipped.";
  const missed =
    schedule.missedPolicy === "latest"
      ? `After downtime, only the latest missed run happens, if under ${schedule.missedMaxAgeMinutes} minutes late.`
      : "After downtime, missed runs are skipped and the channel is told.";
  return `${overlap} ${missed}`;
}

export function failureText(
  failure: Pick<ScheduleParseFailure, "reason" | "examples">,
  command: string,
): string {
  const examples = failure.examples.map((example) => `• \`${command} schedule ${example}\``);
  return [
    `:warning: I couldn't create that schedule. ${failure.reason}`,
    ...(examples.length ? ["Examples that work:", ...examples] : []),
    "Nothing was created.",
  ].join("\n");
}

export function scheduleLine(schedule: ScheduleRecord, now: Date): string {
  const id = shortId(schedule.id);
  let when: string;
  try {
    when = describeSchedule(schedule.cron, schedule.timezone);
  } catch {
    when = `\`${schedule.cron}\` (${schedule.timezone})`;
  }
  let next = "paused";
  if (!schedule.paused) {
    const slot = nextSlot(cronTimetable, schedule, now);
    next = slot ? `next ${formatRunTime(slot, schedule.timezone)}` : "no further runs";
  }
  return `*${schedule.name}* \`${id}\` · ${when} · <#${schedule.channel}> · owner <@${schedule.ownerId}> · ${next}`;
}

/** `schedule list` and App Home: one section per schedule, with an Edit button for those who may. */
export function scheduleBlocks(
  schedules: ScheduleRecord[],
  now: Date,
  options: { canEdit: (schedule: ScheduleRecord) => boolean; limit?: number },
): unknown[] {
  const limit = options.limit ?? 40;
  const blocks: unknown[] = schedules.slice(0, limit).map((schedule) => ({
    type: "section",
    block_id: `schedule.${schedule.id}`,
    text: { type: "mrkdwn", text: scheduleLine(schedule, now).slice(0, 3000) },
    ...(options.canEdit(schedule)
      ? {
          accessory: {
            type: "button",
            action_id: editActionId,
            text: { type: "plain_text", text: "Edit" },
            value: schedule.id,
          },
        }
      : {}),
  }));
  if (schedules.length > limit) {
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: `…and ${schedules.length - limit} more.` }],
    });
  }
  return blocks;
}

export function listText(schedules: ScheduleRecord[], now: Date): string {
  if (schedules.length === 0) return "No schedules yet.";
  return schedules.map((schedule) => `• ${scheduleLine(schedule, now)}`).join("\n");
}
