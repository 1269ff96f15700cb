import { CronExpressionParser } from "cron-parser";
import { CodedError } from "../errors.js";
import { normalizeCron } from "./cron.js";
import { createZoneClock } from "./local-time.js";
import { canonicalTimezone } from "./timezone.js";

/**
 * When a cron schedule runs, as UTC instants, in a timezone with daylight saving.
 *
 * cron-parser matches the expression against wall-clock times in UTC, where there are no gaps or
 * repeats and its iteration is exact. Each wall-clock match is then placed in the schedule's
 * timezone with one rule (see local-time.ts): it runs at the first instant the local clock reads
 * that time or later. Consequences:
 * - spring forward: a time inside the skipped hour runs once, when the clock jumps (02:30 runs at
 *   03:00 local); several skipped times collapse into that one run;
 * - fall back: a time inside the repeated hour runs once, at its first occurrence; so does every
 *   run of an interval schedule ("every 15 minutes" pauses during the repeated hour);
 * - every run has a distinct instant, so the instant is a safe idempotency key for a slot.
 * cron-parser's own timezone mode does not follow one rule: it moves skipped times by the length of
 * the gap (02:30 becomes 03:30), runs interval schedules twice in the repeated hour, and skips whole
 * days when the gap is at midnight (America/Santiago, America/Havana).
 */

export const MAX_RUNS_PER_CALL = 10_000;
export const DEFAULT_TICK_LIMIT = 1_000;

/** Runs strictly after `after`, in order, each at a distinct instant. Ends if the schedule never runs again. */
export function* runsAfter(cron: string, timezone: string, after: Date): Generator<Date> {
  const expression = normalizeCron(cron);
  const zone = requireTimezone(timezone);
  const afterMs = requireDate(after, "after").getTime();
  const clock = createZoneClock(zone);
  const wallClock = CronExpressionParser.parse(expression, {
    tz: "UTC",
    currentDate: new Date(clock.localEpochAt(afterMs)),
  });
  let previous = afterMs;
  while (true) {
    let localEpoch: number;
    try {
      localEpoch = wallClock.next().getTime();
    } catch {
      return;
    }
    const instant = clock.firstInstantAtOrAfter(localEpoch);
    // Skips a repeated hour's second pass, collapsed gap times, and times already behind `after`.
    if (instant <= previous) continue;
    previous = instant;
    yield new Date(instant);
  }
}

/** The next `count` runs strictly after `after`. */
export function nextRuns(cron: string, timezone: string, after: Date, count: number): Date[] {
  if (!Number.isInteger(count) || count < 0 || count > MAX_RUNS_PER_CALL) {
    throw new CodedError("schedule_invalid", `count must be a whole number from 0 to ${MAX_RUNS_PER_CALL}`);
  }
  const runs: Date[] = [];
  if (count === 0) return runs;
  for (const run of runsAfter(cron, timezone, after)) {
    runs.push(run);
    if (runs.length >= count) break;
  }
  return runs;
}

/** The next run strictly after `after`, or undefined if the schedule never runs again. */
export function nextRun(cron: string, timezone: string, after: Date): Date | undefined {
  return nextRuns(cron, timezone, after, 1)[0];
}

export interface Ticks {
  /** Runs with `from < run <= to`, in order; at most `limit` of them. */
  runs: Date[];
  /** True when there were more than `limit` runs in the window (the count is then "at least `limit`"). */
  truncated: boolean;
}

/**
 * The ticks a schedule had in (from, to]: after downtime, `from` is the last run that happened and
 * `to` is now. Stops after `limit` runs so a long outage of a per-minute schedule stays cheap.
 */
export function ticksBetween(
  cron: string,
  timezone: string,
  from: Date,
  to: Date,
  options: { limit?: number } = {},
): Ticks {
  const limit = options.limit ?? DEFAULT_TICK_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RUNS_PER_CALL) {
    throw new CodedError("schedule_invalid", `limit must be a whole number from 1 to ${MAX_RUNS_PER_CALL}`);
  }
  const toMs = requireDate(to, "to").getTime();
  const runs: Date[] = [];
  for (const run of runsAfter(cron, timezone, from)) {
    if (run.getTime() > toMs) return { runs, truncated: false };
    if (runs.length === limit) return { runs, truncated: true };
    runs.push(run);
  }
  return { runs, truncated: false };
}

function requireTimezone(timezone: string): string {
  const zone = canonicalTimezone(timezone);
  if (zone === undefined) {
    throw new CodedError(
      "schedule_invalid",
      `Unknown timezone "${timezone}"; use an IANA name such as Europe/Warsaw.`,
      {
        expected: true,
      },
    );
  }
  return zone;
}

function requireDate(date: Date, name: string): Date {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new CodedError("schedule_invalid", `${name} must be a valid Date`);
  }
  return date;
}
