import { failure, INTERVAL_EXAMPLES, PHRASE_EXAMPLES, type ScheduleParseFailure } from "./parse-failure.js";
import { CLAUSES, type PhraseState } from "./phrase-clauses.js";
import { DAY_NAME } from "./phrase-days.js";

/**
 * English schedule phrases to cron: "every weekday at 9am", "every 15 minutes", "on the 1st of
 * every month at 8", with an optional "in Europe/Warsaw". The phrase is read from the start of the
 * text; the rest is returned as the task. Nothing is guessed: an incomplete or irregular schedule
 * is a failure that says why.
 */

export interface PhraseMatch {
  ok: true;
  cron: string;
  timezone?: string;
  /** The text after the phrase (the task), with separators such as ":" or "-" removed. */
  rest: string;
}

/** Words that, right after a phrase, mean it went on in a way that was not understood. */
const CONTINUATION = new RegExp(
  String.raw`^(?:(?:between|from|until|till|during|except|excluding|starting|beginning|every|each|hourly|daily|weekly|monthly)\b|` +
    String.raw`(?:and|or|but|at|on)\s+(?:${DAY_NAME}|[:\d]|the\s+\d|noon|midnight|weekdays?|weekends?)|` +
    String.raw`\d{1,2}(?::\d{2})?\s*[ap]\.?m\b|\d{1,2}:\d{2})`,
  "i",
);

const SEPARATORS = /^(?:[\s,:;\-–—]|\.(?=\s))+/;

export function parseSchedulePhrase(text: string): PhraseMatch | ScheduleParseFailure {
  const state: PhraseState = { clauses: 0 };
  let position = 0;
  reading: while (true) {
    const gap = /[\s,]*/y;
    gap.lastIndex = position;
    const start = position + (gap.exec(text)?.[0].length ?? 0);
    for (const clause of CLAUSES) {
      clause.pattern.lastIndex = start;
      const match = clause.pattern.exec(text);
      if (match === null) continue;
      const isTimezone = state.timezone;
      const outcome = clause.apply(match, state);
      if (outcome === "not-mine") continue;
      if (outcome !== undefined) return outcome;
      if (state.timezone === isTimezone) state.clauses += 1;
      position = start + match[0].length;
      continue reading;
    }
    break;
  }
  const rest = text.slice(position).replace(SEPARATORS, "");
  if (state.clauses === 0) {
    const shown = text.trim().split(/\s+/).slice(0, 4).join(" ");
    return failure(`I could not read a schedule in "${shown}".`);
  }
  const continuation = CONTINUATION.exec(rest);
  if (continuation !== null) {
    const shown = rest.split(/\s+/).slice(0, 4).join(" ");
    return failure(
      `I could not read "${shown}" as part of the schedule. For anything more specific, quote a cron ` +
        `expression such as "*/15 9-17 * * 1-5".`,
    );
  }
  const cron = assemble(state);
  if (typeof cron !== "string") return cron;
  return { ok: true, cron, ...(state.timezone === undefined ? {} : { timezone: state.timezone }), rest };
}

function assemble(state: PhraseState): string | ScheduleParseFailure {
  const { interval, times, days, weekly, pastTheHour } = state;
  if (weekly !== undefined && (days === undefined || days.dayOfWeek === "*" || days.dayOfMonth !== "*")) {
    return failure(`"${weekly}" needs a day of the week, e.g. "every monday at 9am".`);
  }
  const dayOfMonth = days?.dayOfMonth ?? "*";
  const dayOfWeek = days?.dayOfWeek ?? "*";
  if (interval !== undefined) {
    if (times !== undefined) {
      return failure(
        `"${interval.text}" and "${times.text}" do not fit together: an interval runs all day. ` +
          `Use one of them, or quote a cron expression such as "0 9-17/2 * * *".`,
        INTERVAL_EXAMPLES,
      );
    }
    if (pastTheHour === undefined) return `${interval.minute} ${interval.hour} ${dayOfMonth} * ${dayOfWeek}`;
    if (interval.minute !== "0") {
      return failure(
        `"${pastTheHour.text}" fits hourly intervals only, not "${interval.text}".`,
        INTERVAL_EXAMPLES,
      );
    }
    return `${pastTheHour.minute} ${interval.hour} ${dayOfMonth} * ${dayOfWeek}`;
  }
  if (pastTheHour !== undefined) {
    return failure(
      `"${pastTheHour.text}" needs an interval, e.g. "every hour ${pastTheHour.text}".`,
      INTERVAL_EXAMPLES,
    );
  }
  if (times === undefined) {
    return failure(`"${days?.text ?? weekly}" needs a time, e.g. "${days?.text ?? "every monday"} at 9am".`);
  }
  if (days === undefined) {
    return failure(
      `"${times.text}" needs to say how often, e.g. "every day ${times.text}".`,
      PHRASE_EXAMPLES,
    );
  }
  const minutes = new Set(times.values.map((time) => time.minute));
  const [minute] = minutes;
  if (minute === undefined || minutes.size > 1) {
    return failure(
      `"${times.text}": times in one schedule must share their minutes (9:00 and 17:00, not 9:00 and 17:30). ` +
        `Create one schedule per time.`,
    );
  }
  const hours = [...new Set(times.values.map((time) => time.hour))].sort((left, right) => left - right);
  return `${minute} ${hours.join(",")} ${dayOfMonth} * ${dayOfWeek}`;
}
