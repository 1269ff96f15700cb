import { normalizeCron } from "./cron.js";
import { describeSchedule } from "./describe.js";
import { nextRuns } from "./occurrences.js";
import { canonicalTimezone } from "./timezone.js";

/** What a user sees before confirming a schedule: the normalized cron, the zone and the next runs. */
export interface SchedulePreview {
  cron: string;
  timezone: string;
  /** "At 09:00, Monday through Friday (Europe/Warsaw)". */
  description: string;
  nextRuns: { at: Date; text: string }[];
  /** The whole preview as Slack mrkdwn, several lines. */
  text: string;
}

export const PREVIEW_RUNS = 3;

export function previewSchedule(
  cron: string,
  timezone: string,
  now: Date,
  count = PREVIEW_RUNS,
): SchedulePreview {
  const expression = normalizeCron(cron);
  const zone = canonicalTimezone(timezone) ?? timezone;
  const description = describeSchedule(expression, zone);
  const runs = nextRuns(expression, zone, now, count).map((at) => ({ at, text: formatRunTime(at, zone) }));
  const lines = [
    `${description}, cron \`${expression}\``,
    "Next runs:",
    ...runs.map((run) => `• ${run.text}`),
  ];
  return { cron: expression, timezone: zone, description, nextRuns: runs, text: lines.join("\n") };
}

/** "Mon 23 Nov 2026, 09:00 (Europe/Warsaw)": the local time of a run, for people in that zone. */
export function formatRunTime(instant: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: timezone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((item) => item.type === type)?.value ?? "";
  return `${part("weekday")} ${part("day")} ${part("month")} ${part("year")}, ${part("hour")}:${part("minute")} (${timezone})`;
}
