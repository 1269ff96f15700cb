/** Times of day in schedule phrases: "9", "9am", "9:15 a.m.", "14:30", "9.30", "noon", "midnight". */

export interface ClockTime {
  hour: number;
  minute: number;
}

export type TimeReading = { ok: true; time: ClockTime } | { ok: false; reason: string };

/** A time-like token, loose on purpose so that "25:00" or "13pm" is read and then rejected with a reason. */
export const TIME_TOKEN = String.raw`(?:noon|midday|midnight|\d+(?:[:.]\d+)?(?:\s*[ap]\.?m\b\.?)?(?:\s*o['’]?clock\b)?)(?!\w|:\d)`;

/** A time that is clearly a time without "at" before it: it has minutes or am/pm ("9am", "10:00"). */
export const BARE_TIME_TOKEN = String.raw`(?:\d{1,2}[:]\d{2}(?:\s*[ap]\.?m\b\.?)?|\d{1,2}\s*[ap]\.?m\b\.?)(?!\w|:\d)`;

const TIME_SHAPE = /^(\d+)(?:[:.](\d+))?\s*(?:([ap])\.?m\.?)?(?:\s*o['’]?clock)?$/i;

export function readClockTime(token: string): TimeReading {
  const text = token.trim().toLowerCase();
  if (text === "noon" || text === "midday") return { ok: true, time: { hour: 12, minute: 0 } };
  if (text === "midnight") return { ok: true, time: { hour: 0, minute: 0 } };
  const match = TIME_SHAPE.exec(text);
  if (match === null) return { ok: false, reason: `"${token}" is not a time of day.` };
  const [, hourText = "", minuteText, meridiem] = match;
  if (hourText.length > 2) return { ok: false, reason: `"${token}" is not a time of day.` };
  if (minuteText !== undefined && minuteText.length !== 2) {
    return {
      ok: false,
      reason: `"${token}" is not a time of day: write minutes with two digits, e.g. 9:05.`,
    };
  }
  const hour = Number(hourText);
  const minute = minuteText === undefined ? 0 : Number(minuteText);
  if (minute > 59) return { ok: false, reason: `"${token}" is not a time of day: minutes go from 00 to 59.` };
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) {
      return {
        ok: false,
        reason: `"${token}" is not a 12-hour time: with am/pm the hour goes from 1 to 12.`,
      };
    }
    return { ok: true, time: { hour: (hour % 12) + (meridiem === "p" ? 12 : 0), minute } };
  }
  if (hour === 24 && minute === 0) {
    return {
      ok: false,
      reason: `"${token}" is not a time of day: write midnight or 00:00 instead of 24:00.`,
    };
  }
  if (hour > 23) return { ok: false, reason: `"${token}" is not a time of day: hours go from 0 to 23.` };
  return { ok: true, time: { hour, minute } };
}
