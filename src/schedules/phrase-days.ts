/** Days in schedule phrases: weekday names, lists and ranges of them, and days of the month. */

/** A weekday name, full or abbreviated, singular or plural ("mon", "tues", "thursdays"). */
export const DAY_NAME = String.raw`(?:sundays?|sun|mondays?|mon|tuesdays?|tues?|wednesdays?|weds?|thursdays?|thurs?|thu|fridays?|fri|saturdays?|sat)\b`;

const RANGE_WORD = String.raw`\s*(?:-|–|\bto\b|\bthrough\b|\bthru\b|\buntil\b|\btill\b)\s*`;
const LIST_WORD = String.raw`\s*(?:,\s*(?:and\s+|&\s*)?|\band\s+|&\s*)(?:every\s+|on\s+)?`;
const DAY_ITEM = `${DAY_NAME}(?:${RANGE_WORD}${DAY_NAME})?`;

/** "monday", "tue and thu", "mon, wed & fri", "monday to friday", "mon-fri". */
export const DAY_LIST = String.raw`(?:from\s+)?${DAY_ITEM}(?:${LIST_WORD}${DAY_ITEM})*`;

/** An ordinal day of the month: "1st", "15", "first", "day 15"; or "last". */
export const MONTH_DAY = String.raw`(?:day\s+\d+|\d+(?:st|nd|rd|th)?|first|second|third|fourth|fifth|last)\b`;

const DAY_NUMBERS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const ORDINAL_WORDS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5 };

/** The cron day-of-week field for a day list, e.g. "1-5" or "2,4". */
export function readDayList(text: string): string {
  const names = new RegExp(DAY_NAME, "gi");
  const days = new Set<number>();
  // Whitespace runs collapsed first: LIST_WORD starts with \s*, quadratic on a long run of spaces.
  const body = text.replace(/\s+/g, " ").replace(/^from\s+/i, "");
  for (const item of body.split(new RegExp(LIST_WORD, "i"))) {
    const [first, last] = [...item.matchAll(names)].map((match) => dayNumber(match[0]));
    if (first === undefined) continue;
    if (last === undefined) {
      days.add(first);
      continue;
    }
    // Ranges may wrap the week: "friday to monday" is Fri, Sat, Sun, Mon.
    for (let day = first; ; day = (day + 1) % 7) {
      days.add(day);
      if (day === last) break;
    }
  }
  return compressDays([...days]);
}

export type MonthDayReading = { ok: true; dayOfMonth: string } | { ok: false; reason: string };

/** The cron day-of-month field for "1st", "15", "first", "last" ("L"). */
export function readMonthDay(text: string): MonthDayReading {
  const word = text
    .trim()
    .toLowerCase()
    .replace(/^day\s+/, "");
  if (word === "last") return { ok: true, dayOfMonth: "L" };
  const number = ORDINAL_WORDS[word] ?? Number.parseInt(word, 10);
  if (!Number.isInteger(number) || number < 1 || number > 31) {
    return { ok: false, reason: `"${text}" is not a day of the month (1 to 31).` };
  }
  if (number > 28) {
    return {
      ok: false,
      reason:
        `Not every month has a ${ordinal(number)} day, so this would silently skip some months. ` +
        `Use "the last day of every month", or a quoted cron expression if skipping is what you want.`,
    };
  }
  return { ok: true, dayOfMonth: String(number) };
}

export function ordinal(number: number): string {
  const lastTwo = number % 100;
  if (lastTwo >= 11 && lastTwo <= 13) return `${number}th`;
  const suffix = ["th", "st", "nd", "rd"][number % 10] ?? "th";
  return `${number}${suffix}`;
}

function dayNumber(name: string): number {
  return DAY_NUMBERS[name.slice(0, 3).toLowerCase()] ?? 0;
}

/** Sorted days, with runs of three or more written as ranges: [1,2,3,4,5] is "1-5", [0,6] is "0,6". */
export function compressDays(days: number[]): string {
  const sorted = [...new Set(days)].sort((left, right) => left - right);
  if (sorted.length === 7) return "*";
  const parts: string[] = [];
  let start = 0;
  while (start < sorted.length) {
    let end = start;
    while (end + 1 < sorted.length && sorted[end + 1] === (sorted[end] ?? 0) + 1) end += 1;
    const first = sorted[start];
    const last = sorted[end];
    if (end - start >= 2) parts.push(`${first}-${last}`);
    else parts.push(...sorted.slice(start, end + 1).map(String));
    start = end + 1;
  }
  return parts.join(",");
}
