import { failure, INTERVAL_EXAMPLES, PHRASE_EXAMPLES, type ScheduleParseFailure } from "./parse-failure.js";
import { DAY_LIST, DAY_NAME, MONTH_DAY, readDayList, readMonthDay } from "./phrase-days.js";
import { BARE_TIME_TOKEN, type ClockTime, readClockTime, TIME_TOKEN } from "./phrase-time.js";
import { readTimezoneWord, ZONE_CLAUSE } from "./timezone-word.js";

/**
 * The clauses a schedule phrase is made of ("every monday", "at 9am", "every 15 minutes",
 * "in Europe/Warsaw"), each a pattern and what it sets. Clauses come in any order; the phrase ends
 * at the first word no clause reads, where the task begins.
 */

export interface PhraseState {
  /** Cron minute and hour fields of an interval ("every 15 minutes"). */
  interval?: { minute: string; hour: string; text: string };
  times?: { values: ClockTime[]; text: string };
  /** "at :15" or "at 15 past the hour", for hourly intervals. */
  pastTheHour?: { minute: number; text: string };
  days?: { dayOfMonth: string; dayOfWeek: string; text: string };
  /** "weekly" or "every week" was said: a weekday must be named too. */
  weekly?: string;
  timezone?: string;
  /** Schedule clauses read so far (the timezone does not count). */
  clauses: number;
}

/** A problem stops parsing; "not-mine" lets the next clause try; undefined means applied. */
type Outcome = ScheduleParseFailure | "not-mine" | undefined;

interface Clause {
  pattern: RegExp;
  apply(match: RegExpExecArray, state: PhraseState): Outcome;
}

const NUMBER = String.raw`(?:\d+|one|two|three|four|five|six|ten|twelve|fifteen|twenty|thirty|other)`;
const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  ten: 10,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  other: 2,
};

function clause(source: string, apply: Clause["apply"]): Clause {
  return { pattern: new RegExp(source, "iy"), apply };
}

function count(text: string | undefined): number {
  if (text === undefined) return 1;
  return NUMBER_WORDS[text.toLowerCase()] ?? Number.parseInt(text, 10);
}

function setFrequency(state: PhraseState, text: string, minute: string, hour: string): Outcome {
  if (state.interval !== undefined) {
    return failure(
      `"${state.interval.text}" and "${text}" are two different frequencies; say one.`,
      INTERVAL_EXAMPLES,
    );
  }
  state.interval = { minute, hour, text };
  return undefined;
}

function everyMinutes(state: PhraseState, text: string, minutes: number): Outcome {
  if (minutes === 0) return failure(`"${text}": an interval must be at least 1 minute.`, INTERVAL_EXAMPLES);
  if (60 % minutes === 0) {
    if (minutes === 60) return setFrequency(state, text, "0", "*");
    return setFrequency(state, text, minutes === 1 ? "*" : `*/${minutes}`, "*");
  }
  if (minutes % 60 === 0) return everyHours(state, text, minutes / 60);
  const why =
    minutes < 60
      ? `${minutes} minutes does not divide an hour evenly, so the gap at the top of each hour would be different`
      : `${minutes} minutes is not a whole number of hours, and cron repeats minutes only within an hour`;
  return failure(
    `"${text}" cannot be a regular schedule: ${why}. Use 1, 2, 3, 4, 5, 6, 10, 12, 15, 20 or 30 minutes, ` +
      `or whole hours.`,
    INTERVAL_EXAMPLES,
  );
}

function everyHours(state: PhraseState, text: string, hours: number): Outcome {
  if (hours === 0) return failure(`"${text}": an interval must be at least 1 hour.`, INTERVAL_EXAMPLES);
  if (hours < 24 && 24 % hours === 0) return setFrequency(state, text, "0", hours === 1 ? "*" : `*/${hours}`);
  if (hours === 24) {
    return failure(`"${text}" is once a day: say at what time, e.g. "every day at 9am".`, PHRASE_EXAMPLES);
  }
  return failure(
    `"${text}" cannot be a regular schedule: ${hours} hours does not divide a day evenly. ` +
      `Use 1, 2, 3, 4, 6, 8 or 12 hours, or name days and a time.`,
    INTERVAL_EXAMPLES,
  );
}

function setDays(state: PhraseState, text: string, dayOfMonth: string, dayOfWeek: string): Outcome {
  if (state.days !== undefined) {
    return failure(`"${state.days.text}" and "${text}" are two different day rules; say one.`);
  }
  state.days = { dayOfMonth, dayOfWeek, text };
  return undefined;
}

/** Day words without "every"/"each"/"on" ("weekdays at 9") are read only at the start of the phrase. */
function bareTooLate(prefix: string | undefined, state: PhraseState): boolean {
  return prefix === undefined && state.clauses > 0;
}

function setTimes(state: PhraseState, text: string, list: string): Outcome {
  if (state.times !== undefined) {
    return failure(
      `"${state.times.text}" and "${text}" are two different times; list them together: "at 9am and 5pm".`,
    );
  }
  const values: ClockTime[] = [];
  // Whitespace runs collapsed first: the separator starts with \s*, quadratic on a long run of spaces.
  for (const token of list.replace(/\s+/g, " ").split(/\s*(?:,|\band\b|&)\s*(?:at\s+)?/i)) {
    const reading = readClockTime(token);
    if (!reading.ok) return failure(reading.reason);
    values.push(reading.time);
  }
  state.times = { values, text };
  return undefined;
}

export const CLAUSES: readonly Clause[] = [
  clause(ZONE_CLAUSE, (match, state) => {
    const reading = readTimezoneWord(match[1] ?? "");
    if (!reading.ok) return reading;
    if (reading.timezone === undefined) return "not-mine";
    if (state.timezone !== undefined)
      return failure(`Two timezones were given (${state.timezone} and ${reading.timezone}).`);
    state.timezone = reading.timezone;
    return undefined;
  }),
  clause(
    String.raw`every\s+(?:${NUMBER}\s*)?(?:seconds?|secs?|s)\b(?!\s+(?:${DAY_NAME}|week|month|day))`,
    () => failure("Seconds are not supported: the shortest interval is every minute.", INTERVAL_EXAMPLES),
  ),
  clause(String.raw`every\s+(?:(${NUMBER})\s*)?(?:minutes?|mins?|m)\b`, (match, state) =>
    everyMinutes(state, match[0], count(match[1])),
  ),
  clause(String.raw`every\s+half[\s-]+(?:an\s+)?hour\b`, (match, state) => everyMinutes(state, match[0], 30)),
  clause(String.raw`(?:every\s+(?:(${NUMBER})\s*)?(?:hours?|hrs?|h)|hourly)\b`, (match, state) =>
    everyHours(state, match[0], count(match[1])),
  ),
  clause(String.raw`every\s+(${NUMBER})\s*(days?|weeks?|months?|years?)\b`, (match, state) => {
    const amount = count(match[1]);
    const unit = (match[2] ?? "").toLowerCase().replace(/s$/, "");
    if (amount === 1 && unit === "day") return setDays(state, match[0], "*", "*");
    const why =
      unit === "day"
        ? "cron counts days within each month, so the gap would break at every month's end"
        : `cron cannot count ${unit}s`;
    return failure(
      `"${match[0]}" cannot be a regular schedule: ${why}. Name the days instead, ` +
        `e.g. "every monday and thursday at 9am", or quote a cron expression.`,
    );
  }),
  clause(String.raw`(?:(?:every|each)\s+(?:single\s+)?day|daily|everyday)\b`, (match, state) =>
    setDays(state, match[0], "*", "*"),
  ),
  clause(
    String.raw`(?:(every|each|on)\s+)?(?:weekdays?|week\s+days|workdays?|work\s*days|working\s+days?|business\s+days?)\b`,
    (match, state) => (bareTooLate(match[1], state) ? "not-mine" : setDays(state, match[0], "*", "1-5")),
  ),
  clause(String.raw`(?:(every|each|on)\s+)?(?:the\s+)?weekends?\b`, (match, state) =>
    bareTooLate(match[1], state) ? "not-mine" : setDays(state, match[0], "*", "0,6"),
  ),
  clause(String.raw`(?:weekly|(?:every|each)\s+week)\b`, (match, state) => {
    state.weekly = match[0];
    return undefined;
  }),
  clause(
    String.raw`(?:(?:every|each)\s+month|monthly)(?:\s+on)?\s+(?:the\s+)?(${MONTH_DAY})(?:\s+day)?(?:\s+of\s+the\s+month\b)?`,
    (match, state) => monthDay(state, match[0], match[1] ?? ""),
  ),
  clause(
    String.raw`(?:on\s+)?(?:the\s+)?(${MONTH_DAY})(?:\s+day)?\s+of\s+(?:every|each|the|a)\s+month\b`,
    (match, state) => monthDay(state, match[0], match[1] ?? ""),
  ),
  clause(String.raw`(?:(?:every|each)\s+month|monthly)\b`, (match) =>
    failure(`"${match[0]}" needs a day: say e.g. "on the 1st of every month at 8".`),
  ),
  clause(String.raw`(?:(every|each|on)\s+)?(${DAY_LIST})`, (match, state) =>
    bareTooLate(match[1], state) ? "not-mine" : setDays(state, match[0], "*", readDayList(match[2] ?? "")),
  ),
  clause(String.raw`at\s+(?::(\d+)|(\d+)\s+(?:minutes?\s+)?past(?:\s+the\s+hour)?)\b`, (match, state) => {
    const minute = Number(match[1] ?? match[2]);
    if ((match[1] !== undefined && match[1].length !== 2) || minute > 59) {
      return failure(`"${match[0]}": minutes past the hour go from :00 to :59.`, INTERVAL_EXAMPLES);
    }
    if (state.pastTheHour !== undefined)
      return failure(`"${state.pastTheHour.text}" and "${match[0]}" disagree.`);
    state.pastTheHour = { minute, text: match[0] };
    return undefined;
  }),
  clause(String.raw`at\s+(${TIME_TOKEN}(?:\s*(?:,|\band\b|&)\s*(?:at\s+)?${TIME_TOKEN})*)`, (match, state) =>
    setTimes(state, match[0], match[1] ?? ""),
  ),
  clause(String.raw`(${BARE_TIME_TOKEN}(?:\s*(?:,|\band\b|&)\s*${BARE_TIME_TOKEN})*)`, (match, state) =>
    setTimes(state, match[0], match[1] ?? ""),
  ),
];

function monthDay(state: PhraseState, text: string, day: string): Outcome {
  const reading = readMonthDay(day);
  if (!reading.ok) return failure(reading.reason);
  return setDays(state, text, reading.dayOfMonth, "*");
}
