import { validateCron } from "./cron.js";
import { describeSchedule } from "./describe.js";
import { CRON_EXAMPLES, failure, PHRASE_EXAMPLES, type ScheduleParseFailure } from "./parse-failure.js";
import { parseSchedulePhrase } from "./phrase.js";
import { readTimezoneWord, trailingZone, ZONE_CLAUSE } from "./timezone-word.js";

/**
 * `/coworker schedule <when> <task>`: `text` is everything after "schedule". `<when>` is a quoted
 * 5-field cron expression (`"0 9 * * 1-5" summarize #support`) or an English phrase (`every
 * weekday at 9am summarize #support`). "in <IANA zone>" may come before or right after `<when>`, or
 * at the very end of the text.
 */

export interface ParsedSchedule {
  ok: true;
  /** Normalized 5-field cron expression. */
  cron: string;
  /** Only when the text named a zone; otherwise the caller picks one (e.g. the user's Slack timezone). */
  timezone?: string;
  task: string;
  /** Plain English of `cron`, with the timezone when one was named. */
  description: string;
}

export type ScheduleParseResult = ParsedSchedule | ScheduleParseFailure;

/** Straight, curly and back quotes; Slack clients often turn straight quotes into curly ones. */
const CLOSING_QUOTES: Record<string, readonly string[]> = {
  '"': ['"', "”", "“"],
  "“": ["”", '"', "“"],
  "”": ["”", '"', "“"],
  "'": ["'", "’", "‘"],
  "‘": ["’", "'", "‘"],
  "’": ["’", "'", "‘"],
  "`": ["`"],
};
const LEADING_ZONE = new RegExp(String.raw`^${ZONE_CLAUSE}[\s,;:]*`, "i");
/** Two cron-looking words at the start without quotes, e.g. `0 9 * * 1-5 summarize`. */
const UNQUOTED_CRON = /^[\d*][\d*,/-]*\s+[\d*?][\w*,/#?-]*(?:\s|$)/;
const TASK_SEPARATORS = /^(?:[\s,:;\-–—]|\.(?=\s))+/;

export function parseScheduleCommand(text: string): ScheduleParseResult {
  const input = text.trim();
  if (input === "") return failure("Say when and what, e.g. `every weekday at 9am summarize #support`.");
  const leading = readLeadingZone(input);
  if (!leading.ok) return leading;
  const body = leading.rest;
  if (CLOSING_QUOTES[body[0] ?? ""] !== undefined || body.startsWith("@")) {
    return parseCronCommand(body, leading.timezone);
  }
  if (UNQUOTED_CRON.test(body)) {
    return failure(
      "This looks like a cron expression: put it in quotes so I know where it ends, " +
        'e.g. "0 9 * * 1-5" summarize #support.',
      CRON_EXAMPLES,
    );
  }
  const phrase = parseSchedulePhrase(input);
  if (!phrase.ok) return phrase;
  return finish(phrase.cron, phrase.timezone, phrase.rest);
}

function parseCronCommand(body: string, leadingTimezone: string | undefined): ScheduleParseResult {
  let expression: string;
  let after: string;
  const closers = CLOSING_QUOTES[body[0] ?? ""];
  if (closers === undefined) {
    // An unquoted shortcut such as @daily is one word.
    const space = body.search(/\s|$/);
    expression = body.slice(0, space);
    after = body.slice(space);
  } else {
    const end = closingIndex(body, closers);
    if (end < 0)
      return failure("The cron expression has an opening quote but no closing one.", CRON_EXAMPLES);
    expression = body.slice(1, end);
    after = body.slice(end + 1);
  }
  const validation = validateCron(expression);
  if (!validation.ok) return failure(validation.reason, CRON_EXAMPLES);
  const trailing = readLeadingZone(after.replace(TASK_SEPARATORS, ""));
  if (!trailing.ok) return trailing;
  if (leadingTimezone !== undefined && trailing.timezone !== undefined) {
    return failure(`Two timezones were given (${leadingTimezone} and ${trailing.timezone}).`, CRON_EXAMPLES);
  }
  return finish(validation.cron, leadingTimezone ?? trailing.timezone, trailing.rest);
}

function closingIndex(body: string, closers: readonly string[]): number {
  for (let index = 1; index < body.length; index += 1) {
    if (closers.includes(body[index] ?? "")) return index;
  }
  return -1;
}

type LeadingZone = { ok: true; timezone?: string; rest: string } | ScheduleParseFailure;

function readLeadingZone(text: string): LeadingZone {
  const match = LEADING_ZONE.exec(text);
  if (match === null) return { ok: true, rest: text };
  const reading = readTimezoneWord(match[1] ?? "");
  if (!reading.ok) return reading;
  if (reading.timezone === undefined) return { ok: true, rest: text };
  return { ok: true, timezone: reading.timezone, rest: text.slice(match[0].length) };
}

function finish(cron: string, leadingTimezone: string | undefined, rest: string): ScheduleParseResult {
  let task = rest.replace(TASK_SEPARATORS, "").trim();
  let timezone = leadingTimezone;
  for (let trailing = trailingZone(task); trailing !== undefined; trailing = trailingZone(task)) {
    const reading = readTimezoneWord(trailing.word);
    if (!reading.ok) return reading;
    if (reading.timezone === undefined) break;
    if (timezone !== undefined && timezone !== reading.timezone) {
      return failure(`Two timezones were given (${timezone} and ${reading.timezone}).`);
    }
    timezone = reading.timezone;
    task = task.slice(0, trailing.index).trim();
  }
  if (task === "") {
    return failure(
      "Say what to do after the schedule, e.g. `every weekday at 9am summarize #support`.",
      PHRASE_EXAMPLES,
    );
  }
  return {
    ok: true,
    cron,
    ...(timezone === undefined ? {} : { timezone }),
    task,
    description: describeSchedule(cron, timezone),
  };
}
