import type { Database } from "../storage/database.js";
import { dueSlots } from "./due-slots.js";
import { lockSchedule } from "./locks.js";
import { hasActiveWork } from "./overlap.js";
import { isActive } from "./store.js";
import { tickOutcomes } from "./tick-outcomes.js";
import type { Timetable } from "./timetable.js";

/**
 * The tick transaction: decides, once and for all, what happens to every slot of a schedule that
 * is due at `now`, under the schedule's row lock. Whoever calls it (a BullMQ wake-up at a slot, a
 * duplicate of that wake-up, the reconciler of any replica) gets the same answer, because the
 * decision is recorded in the same transaction: one ScheduleTick per (schedule, slot), written with
 * ON CONFLICT DO NOTHING, and `lastTickAt` moved to the latest slot decided.
 *
 * Rules: only the latest due slot may run (never a burst). It runs if it is on time (within
 * `lateGraceMs`), or late under the "latest" missed policy when not older than missedMaxAgeMinutes.
 * Every other due slot is missed; under the "skip" policy the channel gets one notice for them.
 * The overlap policy "skip" records the slot as skipped while the previous run is still going.
 * A paused or deleted schedule decides nothing.
 */
export interface FiringSettings {
  /** A slot processed later than this after its time counts as missed (default 3 minutes). */
  lateGraceMs: number;
  /** Missed slots recorded one row each, the latest ones (older ones are only counted). */
  missedRowsKept: number;
}

export const defaultFiringSettings: FiringSettings = { lateGraceMs: 3 * 60_000, missedRowsKept: 500 };

export interface SettleDependencies {
  database: Database;
  timetable: Timetable;
  settings: FiringSettings;
}

export type SettleResult =
  | { type: "inactive" }
  | { type: "idle" }
  | {
      type: "settled";
      /** The slot that will run: its header and run are made by `completeTick`. */
      claimed: { tickId: string; scheduledAt: Date; late: boolean } | undefined;
      skippedOverlap: Date | undefined;
      /** Slots missed by this decision (a lower bound when `missedCountIsLowerBound`). */
      missedCount: number;
      missedCountIsLowerBound: boolean;
      /** The latest missed slot when the channel must be told. */
      announce: Date | undefined;
    };

export async function settleSchedule(
  dependencies: SettleDependencies,
  scheduleId: string,
  now: Date,
): Promise<SettleResult> {
  const { timetable, settings } = dependencies;
  return dependencies.database.$transaction(async (transaction) => {
    const schedule = await lockSchedule(transaction, scheduleId);
    if (!schedule || !isActive(schedule)) return { type: "inactive" };
    const from = schedule.lastTickAt ?? schedule.createdAt;
    const due = dueSlots(timetable, schedule, from, now, { keep: settings.missedRowsKept + 1 });
    const latest = due.recent.at(-1);
    if (!latest) return { type: "idle" };

    const age = now.getTime() - latest.getTime();
    const runsLate =
      age > settings.lateGraceMs &&
      schedule.missedPolicy === "latest" &&
      age <= schedule.missedMaxAgeMinutes * 60_000;
    const runs = age <= settings.lateGraceMs || runsLate;
    const missedSlots = runs ? due.recent.slice(0, -1) : due.recent;
    let claimedOutcome: string | undefined;
    if (runs) {
      const overlapping = schedule.overlapPolicy === "skip" && (await hasActiveWork(transaction, scheduleId));
      claimedOutcome = overlapping ? tickOutcomes.skippedOverlap : tickOutcomes.firing;
    }
    // A late run says so in its header; every other case with missed slots gets one notice.
    const announce = missedSlots.length > 0 && !runsLate;
    const missedOutcome = announce ? tickOutcomes.missedUnannounced : tickOutcomes.missed;
    await transaction.scheduleTick.createMany({
      data: [
        ...missedSlots.slice(-settings.missedRowsKept).map((slot) => ({
          scheduleId,
          scheduledAt: slot,
          outcome: missedOutcome,
          createdAt: now,
        })),
        ...(claimedOutcome
          ? [{ scheduleId, scheduledAt: latest, outcome: claimedOutcome, createdAt: now }]
          : []),
      ],
      skipDuplicates: true,
    });
    await transaction.schedule.update({ where: { id: scheduleId }, data: { lastTickAt: latest } });

    let claimed: { tickId: string; scheduledAt: Date; late: boolean } | undefined;
    if (claimedOutcome === tickOutcomes.firing) {
      const tick = await transaction.scheduleTick.findUniqueOrThrow({
        where: { scheduleId_scheduledAt: { scheduleId, scheduledAt: latest } },
      });
      // The row may predate this decision only if someone wrote it outside the rules; respect it.
      if (tick.outcome === tickOutcomes.firing)
        claimed = { tickId: tick.id, scheduledAt: latest, late: runsLate };
    }
    const missedCount = runs ? due.count - 1 : due.count;
    return {
      type: "settled",
      claimed,
      skippedOverlap: claimedOutcome === tickOutcomes.skippedOverlap ? latest : undefined,
      missedCount,
      missedCountIsLowerBound: due.countIsLowerBound,
      announce: announce ? missedSlots.at(-1) : undefined,
    };
  });
}
