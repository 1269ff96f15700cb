import { createZoneClock } from "../../../schedules/local-time.js";

/**
 * Free time from busy intervals: the gaps in `range` that nobody is busy in, cut to working hours
 * (in the given timezone, DST-correct) when asked, and at least `minimumMs` long.
 */
export interface Interval {
  start: number;
  end: number;
}

export interface WorkingHours {
  /** "09:00" */
  start: string;
  /** "17:30" */
  end: string;
  timeZone: string;
  weekdaysOnly: boolean;
}

const dayMs = 86_400_000;

export function freeSlots(
  range: Interval,
  busy: Interval[],
  windows: Interval[] | undefined,
  minimumMs: number,
): Interval[] {
  const merged = mergeIntervals(busy.filter((item) => item.end > range.start && item.start < range.end));
  const gaps: Interval[] = [];
  let cursor = range.start;
  for (const item of merged) {
    if (item.start > cursor) gaps.push({ start: cursor, end: Math.min(item.start, range.end) });
    cursor = Math.max(cursor, item.end);
  }
  if (cursor < range.end) gaps.push({ start: cursor, end: range.end });
  const allowed = windows ?? [range];
  const slots: Interval[] = [];
  for (const gap of gaps) {
    for (const window of allowed) {
      const start = Math.max(gap.start, window.start);
      const end = Math.min(gap.end, window.end);
      if (end - start >= minimumMs) slots.push({ start, end });
    }
  }
  return slots.sort((a, b) => a.start - b.start);
}

export function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const item of sorted) {
    const last = merged.at(-1);
    if (last && item.start <= last.end) last.end = Math.max(last.end, item.end);
    else merged.push({ ...item });
  }
  return merged;
}

export function workingWindows(range: Interval, hours: WorkingHours): Interval[] {
  const clock = createZoneClock(hours.timeZone);
  const startMinutes = minutesOf(hours.start);
  const endMinutes = minutesOf(hours.end);
  const windows: Interval[] = [];
  const firstDay = Math.floor(clock.localEpochAt(range.start) / dayMs) * dayMs;
  for (let day = firstDay; clock.firstInstantAtOrAfter(day) < range.end; day += dayMs) {
    const weekday = new Date(day).getUTCDay();
    if (hours.weekdaysOnly && (weekday === 0 || weekday === 6)) continue;
    const start = clock.firstInstantAtOrAfter(day + startMinutes * 60_000);
    const end = clock.firstInstantAtOrAfter(day + endMinutes * 60_000);
    if (end > range.start && start < range.end) {
      windows.push({ start: Math.max(start, range.start), end: Math.min(end, range.end) });
    }
  }
  return windows;
}

function minutesOf(time: string): number {
  const [hours = "0", minutes = "0"] = time.split(":");
  return Number(hours) * 60 + Number(minutes);
}
