import { runsAfter } from "./occurrences.js";

/**
 * When a schedule's slots are. Production uses `cronTimetable`: the DST-correct wall-clock rules of
 * occurrences.ts, so the BullMQ repeat strategy, the tick transaction and missed-run detection all
 * agree on one set of instants. Tests may pass a faster timetable (e.g. every second) to drive many
 * ticks through the real firing path.
 */
export interface ScheduleTiming {
  cron: string;
  timezone: string;
}

export interface Timetable {
  /** Slots strictly after `after`, in order, each a distinct instant. */
  slotsAfter(timing: ScheduleTiming, after: Date): Iterable<Date>;
}

export const cronTimetable: Timetable = {
  slotsAfter: (timing, after) => runsAfter(timing.cron, timing.timezone, after),
};

/** The first slot strictly after `after`, or undefined when the schedule never runs again. */
export function nextSlot(timetable: Timetable, timing: ScheduleTiming, after: Date): Date | undefined {
  for (const slot of timetable.slotsAfter(timing, after)) return slot;
  return undefined;
}

/** The next `count` slots strictly after `after`. */
export function nextSlots(timetable: Timetable, timing: ScheduleTiming, after: Date, count: number): Date[] {
  const slots: Date[] = [];
  if (count <= 0) return slots;
  for (const slot of timetable.slotsAfter(timing, after)) {
    slots.push(slot);
    if (slots.length >= count) break;
  }
  return slots;
}
