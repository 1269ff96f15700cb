import { toString as cronToEnglish } from "cronstrue";
import { normalizeCron } from "./cron.js";

/**
 * Plain English for a cron expression, 24-hour clock: "At 09:00, Monday through Friday",
 * "Every 15 minutes", "At 18:00, every day". With a timezone: "... (Europe/Warsaw)".
 */
export function describeSchedule(cron: string, timezone?: string): string {
  const expression = normalizeCron(cron);
  let text = cronToEnglish(expression, { use24HourTimeFormat: true, throwExceptionOnParseError: true });
  const [, hour = "", dayOfMonth, month, dayOfWeek] = expression.split(" ");
  const everyDay = [dayOfMonth, month, dayOfWeek].every((field) => field === "*" || field === "?");
  // cronstrue says only "At 09:00" for a daily time; say it is every day.
  if (everyDay && !/[*/]/.test(hour)) text += ", every day";
  return timezone === undefined ? text : `${text} (${timezone})`;
}
