import { CronExpressionParser } from "cron-parser";
import { CodedError } from "../errors.js";

/**
 * Validation of 5-field cron expressions (minute hour day-of-month month day-of-week), the form
 * BullMQ's job schedulers take. Seconds (a 6th field) are rejected. Matching follows cron-parser,
 * which BullMQ uses too: names (MON, JAN), `L`, `#` and `?` work; random `H` values do not.
 */

export type CronValidation = { ok: true; cron: string } | { ok: false; reason: string };

const SHORTCUTS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

const FIELDS = [
  { name: "minute", low: 0, high: 59 },
  { name: "hour", low: 0, high: 23 },
  { name: "day-of-month", low: 1, high: 31 },
  { name: "month", low: 1, high: 12 },
  { name: "day-of-week", low: 0, high: 7 },
] as const;

const FIVE_FIELDS = 'minute hour day-of-month month day-of-week, e.g. "0 9 * * 1-5"';

/** A far-past start for the "does it ever run" check, so leap days count. */
const PROBE_START = new Date("2000-01-01T00:00:00Z");

export function validateCron(expression: string): CronValidation {
  let cron = expression.trim().replace(/\s+/g, " ");
  if (cron === "")
    return { ok: false, reason: `The cron expression is empty. Use 5 fields: ${FIVE_FIELDS}.` };
  if (cron.startsWith("@")) {
    const expanded = SHORTCUTS[cron.toLowerCase()];
    if (expanded === undefined) {
      const known = Object.keys(SHORTCUTS).join(", ");
      return {
        ok: false,
        reason: `"${cron}" is not a supported shortcut. Use one of ${known}, or 5 fields.`,
      };
    }
    cron = expanded;
  }
  const fields = cron.split(" ");
  if (fields.length === 6) {
    return {
      ok: false,
      reason: `"${cron}" has 6 fields; seconds are not supported. Use 5 fields: ${FIVE_FIELDS}.`,
    };
  }
  if (fields.length !== 5) {
    return {
      ok: false,
      reason: `"${cron}" has ${fields.length} fields; cron needs exactly 5: ${FIVE_FIELDS}.`,
    };
  }
  for (const [index, field] of fields.entries()) {
    const problem = checkField(field, FIELDS[index] ?? FIELDS[0]);
    if (problem !== undefined) return { ok: false, reason: `"${cron}": ${problem}` };
  }
  const normalized = fields.map((field) => field.toUpperCase()).join(" ");
  try {
    CronExpressionParser.parse(normalized, { tz: "UTC", currentDate: PROBE_START }).next();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `"${cron}" is not a valid cron expression (${detail}).` };
  }
  return { ok: true, cron: normalized };
}

/** The normalized expression, or a `schedule_invalid` error explaining what is wrong. */
export function normalizeCron(expression: string): string {
  const validation = validateCron(expression);
  if (!validation.ok) throw new CodedError("schedule_invalid", validation.reason, { expected: true });
  return validation.cron;
}

function checkField(field: string, spec: (typeof FIELDS)[number]): string | undefined {
  if (/[^0-9A-Za-z*?,/#-]/.test(field))
    return `the ${spec.name} field "${field}" has characters cron does not use.`;
  for (const item of field.split(",")) {
    if (item === "") return `the ${spec.name} field "${field}" has an empty list item.`;
    if (/^h/i.test(item)) return `random "H" values are not supported (in the ${spec.name} field).`;
    // Values are the numbers before any "/" (step) or "#" (nth weekday); those two are not field values.
    const values = item.split(/[/#]/)[0]?.match(/\d+/g) ?? [];
    for (const value of values) {
      const number = Number(value);
      if (number < spec.low || number > spec.high) {
        return `${number} is out of range for the ${spec.name} field (${spec.low}-${spec.high}).`;
      }
    }
  }
  return undefined;
}
