import type { Database, Prisma } from "../storage/database.js";
import { isIdPrefix } from "./ids.js";

/**
 * Schedules in Postgres. Every change bumps `version`; a change of timing (cron or timezone), a
 * resume or a creation sets `lastTickAt` to now, so slots before it are neither run nor reported
 * as missed. Deletion is a tombstone (`deletedAt`): the tick transaction reads it under a row lock,
 * so a deleted schedule never fires again, whatever BullMQ still holds.
 */
export type ScheduleRecord = Prisma.ScheduleModel;

export type OverlapPolicy = "skip" | "queue";
export type MissedPolicy = "skip" | "latest";

export interface NewSchedule {
  id?: string;
  workspaceId: string;
  channel: string;
  ownerId: string;
  name: string;
  prompt: string;
  cron: string;
  timezone: string;
  overlapPolicy?: OverlapPolicy;
  missedPolicy?: MissedPolicy;
  missedMaxAgeMinutes?: number;
}

export type ScheduleChanges = Partial<
  Pick<
    NewSchedule,
    | "channel"
    | "name"
    | "prompt"
    | "cron"
    | "timezone"
    | "overlapPolicy"
    | "missedPolicy"
    | "missedMaxAgeMinutes"
  >
>;

export async function createSchedule(
  database: Database,
  input: NewSchedule,
  now: Date,
): Promise<ScheduleRecord> {
  // INSERT ... ON CONFLICT DO NOTHING: several first commands of a new workspace may race here.
  await database.workspace.createMany({ data: [{ id: input.workspaceId }], skipDuplicates: true });
  return database.schedule.create({ data: { ...input, lastTickAt: now } });
}

/** Creates the schedule unless one with this id exists (a retried request); returns the stored one. */
export async function createScheduleOnce(
  database: Database,
  input: NewSchedule & { id: string },
  now: Date,
): Promise<{ schedule: ScheduleRecord; created: boolean }> {
  const existing = await database.schedule.findUnique({ where: { id: input.id } });
  if (existing) return { schedule: existing, created: false };
  try {
    return { schedule: await createSchedule(database, input, now), created: true };
  } catch (error) {
    const again = await database.schedule.findUnique({ where: { id: input.id } });
    if (again) return { schedule: again, created: false };
    throw error;
  }
}

export type ScheduleLookup =
  | { type: "found"; schedule: ScheduleRecord }
  | { type: "none" }
  | { type: "ambiguous"; count: number };

/** A live schedule of the workspace by its id or the start of it (people type the first 8 characters). */
export async function findSchedule(
  database: Database,
  workspaceId: string,
  idOrPrefix: string,
): Promise<ScheduleLookup> {
  const text = idOrPrefix.trim().toLowerCase();
  if (!isIdPrefix(text)) return { type: "none" };
  const matches = await database.schedule.findMany({
    where: { workspaceId, deletedAt: null, id: { startsWith: text } },
    take: 2,
  });
  if (matches.length === 0) return { type: "none" };
  if (matches.length > 1) return { type: "ambiguous", count: matches.length };
  return { type: "found", schedule: matches[0]! };
}

export async function listSchedules(
  database: Database,
  workspaceId: string,
  filter: { ownerId?: string } = {},
): Promise<ScheduleRecord[]> {
  return database.schedule.findMany({
    where: { workspaceId, deletedAt: null, ...(filter.ownerId ? { ownerId: filter.ownerId } : {}) },
    orderBy: { createdAt: "asc" },
    take: 200,
  });
}

export async function updateSchedule(
  database: Database,
  schedule: ScheduleRecord,
  changes: ScheduleChanges,
  now: Date,
  options: { pause?: boolean } = {},
): Promise<ScheduleRecord> {
  const timingChanged =
    (changes.cron !== undefined && changes.cron !== schedule.cron) ||
    (changes.timezone !== undefined && changes.timezone !== schedule.timezone);
  return database.schedule.update({
    where: { id: schedule.id },
    data: {
      ...changes,
      version: { increment: 1 },
      ...(timingChanged ? { lastTickAt: now } : {}),
      // In the same write: an edit by someone else never runs before the owner confirms it.
      ...(options.pause ? { paused: true } : {}),
    },
  });
}

export async function setPaused(
  database: Database,
  schedule: ScheduleRecord,
  paused: boolean,
  now: Date,
): Promise<ScheduleRecord> {
  return database.schedule.update({
    where: { id: schedule.id },
    // Slots while paused are not "missed": a resume starts counting from now.
    data: { paused, version: { increment: 1 }, ...(paused ? {} : { lastTickAt: now }) },
  });
}

/** Tombstones the schedule and cancels runs still queued behind an earlier one. */
export async function deleteSchedule(
  database: Database,
  schedule: ScheduleRecord,
  now: Date,
): Promise<ScheduleRecord> {
  return database.$transaction(async (transaction) => {
    const deleted = await transaction.schedule.update({
      where: { id: schedule.id },
      data: { deletedAt: now, version: { increment: 1 } },
    });
    const queued = await transaction.scheduleTick.findMany({
      where: { scheduleId: schedule.id, outcome: "queued" },
      select: { id: true, runId: true },
    });
    const runIds = queued.flatMap((tick) => (tick.runId ? [tick.runId] : []));
    await transaction.run.updateMany({
      where: { id: { in: runIds }, status: "queued" },
      data: { status: "cancelled", stopReason: "schedule_deleted", endedAt: now },
    });
    await transaction.scheduleTick.updateMany({
      where: { id: { in: queued.map((tick) => tick.id) } },
      data: { outcome: "cancelled" },
    });
    return deleted;
  });
}

export function isActive(schedule: Pick<ScheduleRecord, "paused" | "deletedAt">): boolean {
  return !schedule.paused && schedule.deletedAt === null;
}
