import type { Timetable } from "../../../src/schedules/timetable.js";

/** A clock tests move by hand: the scheduler's `now`, for walking through days in milliseconds. */
export interface ManualClock {
  now(): number;
  set(iso: string | number): void;
  advance(milliseconds: number): void;
}

export function manualClock(start: string): ManualClock {
  let value = Date.parse(start);
  return {
    now: () => value,
    set(iso) {
      value = typeof iso === "number" ? iso : Date.parse(iso);
    },
    advance(milliseconds) {
      value += milliseconds;
    },
  };
}

/**
 * A test-only timetable: a slot every `intervalMs` (aligned to the epoch), whatever the cron says, so
 * the real firing path (BullMQ job schedulers, wake-ups, the tick transaction) runs many ticks in seconds.
 */
export function everyInterval(intervalMs: number): Timetable {
  return {
    *slotsAfter(_timing, after) {
      let slot = (Math.floor(after.getTime() / intervalMs) + 1) * intervalMs;
      while (true) {
        yield new Date(slot);
        slot += intervalMs;
      }
    },
  };
}
