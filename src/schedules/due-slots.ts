import type { ScheduleTiming, Timetable } from "./timetable.js";

/**
 * The slots a schedule had in (from, to]: after downtime `from` is the last slot accounted for and
 * `to` is now. Counting stops at `cap` so a long outage of a per-minute schedule stays cheap; the
 * latest slots are still found (by looking back from `to` in growing windows), because the latest
 * is the one that may run.
 */
export interface DueSlots {
  /** How many slots were due; a lower bound when `countIsLowerBound`. */
  count: number;
  countIsLowerBound: boolean;
  /** The last `keep` due slots, oldest first; the final one is the latest due slot. */
  recent: Date[];
}

const HOUR_MS = 3_600_000;
const LOOKBACK_WINDOWS_MS = [
  HOUR_MS,
  24 * HOUR_MS,
  40 * 24 * HOUR_MS,
  400 * 24 * HOUR_MS,
  4000 * 24 * HOUR_MS,
];

export function dueSlots(
  timetable: Timetable,
  timing: ScheduleTiming,
  from: Date,
  to: Date,
  options: { keep?: number; cap?: number } = {},
): DueSlots {
  const keep = options.keep ?? 1000;
  const cap = options.cap ?? 10_000;
  const scan = scanWindow(timetable, timing, from, to, keep, cap);
  if (!scan.capped) return { count: scan.count, countIsLowerBound: false, recent: scan.recent };
  for (const window of LOOKBACK_WINDOWS_MS) {
    const start = new Date(Math.max(from.getTime(), to.getTime() - window));
    const tail = scanWindow(timetable, timing, start, to, keep, cap);
    if (!tail.capped && tail.recent.length > 0) {
      return { count: Math.max(cap, tail.count), countIsLowerBound: true, recent: tail.recent };
    }
  }
  return { count: cap, countIsLowerBound: true, recent: scan.recent };
}

function scanWindow(
  timetable: Timetable,
  timing: ScheduleTiming,
  from: Date,
  to: Date,
  keep: number,
  cap: number,
): { count: number; capped: boolean; recent: Date[] } {
  const recent: Date[] = [];
  let count = 0;
  for (const slot of timetable.slotsAfter(timing, from)) {
    if (slot.getTime() > to.getTime()) break;
    if (count >= cap) return { count, capped: true, recent };
    count += 1;
    recent.push(slot);
    if (recent.length > keep) recent.shift();
  }
  return { count, capped: false, recent };
}
