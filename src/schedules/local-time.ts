/**
 * Wall-clock time in an IANA timezone, and the way back from a wall-clock time to an instant.
 *
 * A "local epoch" is the wall-clock reading written as if it were UTC: 2026-03-08 02:30 in
 * America/New_York has the local epoch of `Date.UTC(2026, 2, 8, 2, 30)`. Local epochs are how
 * cron matching sees time (no gaps, no repeats); `firstInstantAtOrAfter` maps them back to real
 * instants with one rule for daylight-saving transitions:
 *
 *   a wall-clock time happens at the first instant at which the local clock reads it or later.
 *
 * So a time that the clock skips (02:30 on a spring-forward night) happens at the end of the gap
 * (03:00 local), and a time that the clock shows twice (01:30 on a fall-back night) happens at its
 * first occurrence only. The mapping never goes backwards: a later wall-clock time never maps to an
 * earlier instant.
 */

const DAY_MS = 86_400_000;

export interface ZoneClock {
  readonly timezone: string;
  /** The local epoch (wall clock read as UTC) at an instant, to the whole second. */
  localEpochAt(instantMs: number): number;
  /** Local epoch minus instant: +3_600_000 for UTC+01:00. */
  offsetAt(instantMs: number): number;
  /** The first instant at which the local clock reads `localEpochMs` or later. */
  firstInstantAtOrAfter(localEpochMs: number): number;
}

export function createZoneClock(timezone: string): ZoneClock {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: timezone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });

  function localEpochAt(instantMs: number): number {
    const wholeSecond = Math.floor(instantMs / 1000) * 1000;
    const fields: Record<string, number> = {};
    for (const part of format.formatToParts(wholeSecond)) {
      if (part.type !== "literal") fields[part.type] = Number(part.value);
    }
    const local = new Date(0);
    local.setUTCFullYear(fields.year ?? 1970, (fields.month ?? 1) - 1, fields.day ?? 1);
    local.setUTCHours(fields.hour ?? 0, fields.minute ?? 0, fields.second ?? 0, 0);
    return local.getTime();
  }

  function offsetAt(instantMs: number): number {
    return localEpochAt(instantMs) - Math.floor(instantMs / 1000) * 1000;
  }

  function firstInstantAtOrAfter(localEpochMs: number): number {
    const offsets = [
      ...new Set([offsetAt(localEpochMs - DAY_MS), offsetAt(localEpochMs), offsetAt(localEpochMs + DAY_MS)]),
    ];
    const readsBack = offsets
      .map((offset) => localEpochMs - offset)
      .filter((instant) => localEpochAt(instant) === localEpochMs);
    if (readsBack.length > 0) return Math.min(...readsBack);
    // In a gap: the clock jumps over this reading. It happens when the jump happens, which lies
    // between the reading taken with the offset after the jump and the one taken with the offset before.
    const candidates = offsets.map((offset) => localEpochMs - offset);
    return findJump(Math.min(...candidates), Math.max(...candidates), localEpochMs);
  }

  /** The first instant in (low, high] whose local clock reads `localEpochMs` or later, to the second. */
  function findJump(low: number, high: number, localEpochMs: number): number {
    let before = Math.floor(low / 1000);
    let after = Math.ceil(high / 1000);
    if (localEpochAt(after * 1000) < localEpochMs) return high;
    while (after - before > 1) {
      const middle = Math.floor((before + after) / 2);
      if (localEpochAt(middle * 1000) >= localEpochMs) after = middle;
      else before = middle;
    }
    return after * 1000;
  }

  return { timezone, localEpochAt, offsetAt, firstInstantAtOrAfter };
}
