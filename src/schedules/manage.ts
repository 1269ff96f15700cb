import { randomUUID } from "node:crypto";
import { CodedError } from "../errors.js";
import type { Logger } from "../logger.js";
import { jobId } from "../queue/catalog.js";
import type { Queues } from "../queue/queues.js";
import type { SlackClient } from "../slack/clients.js";
import { createRun, enqueueRun } from "../slack/intake.js";
import type { Database } from "../storage/database.js";
import { headerMessage } from "./channel-messages.js";
import { postWithKey } from "./channel-posts.js";
import { parseScheduleCommand } from "./command.js";
import { changedByOther, tellOwner } from "./owner-notice.js";
import type { ScheduleParseFailure } from "./parse-failure.js";
import {
  botCanPost,
  lookUpPerson,
  mayChange,
  notAllowedText,
  type OwnerOnlyAction,
  ownerOnlyText,
  type Person,
} from "./people.js";
import { previewSchedule, type SchedulePreview } from "./preview.js";
import {
  createScheduleOnce,
  deleteSchedule,
  findSchedule,
  type NewSchedule,
  type ScheduleChanges,
  type ScheduleRecord,
  setPaused,
  updateSchedule,
} from "./store.js";

/**
 * What people do with schedules, whichever surface they use (slash command, modal, App Home, the
 * coworker's tool): each change is checked (owner or admin), written to Postgres (which every
 * scheduler process reads in its tick transaction, so it takes effect at once), and followed by a
 * `schedule.sync` job so the BullMQ job scheduler matches. A schedule runs with its owner's access:
 * someone else (an admin) may pause, delete or retime it, never change what it does or where it
 * posts, resume it or run it; their pause or edit leaves it paused until the owner confirms, and
 * the owner is told of each by DM (owner-notice.ts).
 */
export interface ManageDependencies {
  database: Database;
  queues: Queues;
  now(): number;
  /** The slash command, for hints in messages. */
  command: string;
  logger?: Logger;
}

/** Who asks for a change, and the Slack client to tell the owner with. */
export interface Actor {
  userId: string;
  client: SlackClient;
}

function refuseUnlessOwner(schedule: ScheduleRecord, actor: Actor, action: OwnerOnlyAction): void {
  if (changedByOther(schedule, actor.userId)) {
    throw new CodedError("forbidden", ownerOnlyText(schedule, action), { expected: true });
  }
}

/** Creating needs no queue: without one, the reconciler syncs the new schedule on its next pass. */
export type CreateDependencies = Omit<ManageDependencies, "queues"> & { queues?: Queues };

export type TimezoneSource = "named" | "profile" | "default";

export interface Created {
  ok: true;
  schedule: ScheduleRecord;
  preview: SchedulePreview;
  timezoneSource: TimezoneSource;
  created: boolean;
}

export type CreateResult = Created | ScheduleParseFailure | { ok: false; reason: string; examples: [] };

export interface CreateRequest {
  id?: string;
  workspaceId: string;
  channel: string;
  userId: string;
  name?: string;
  overlapPolicy?: NewSchedule["overlapPolicy"];
  missedPolicy?: NewSchedule["missedPolicy"];
  missedMaxAgeMinutes?: number;
}

/** A schedule as read from people's words: cron, task, and the zone if they named one. */
export interface ScheduleDraft {
  cron: string;
  timezone?: string;
  task: string;
}

/** `/coworker schedule <when> <task>`: `text` is everything after "schedule". */
export async function createFromText(
  dependencies: CreateDependencies,
  client: SlackClient,
  request: CreateRequest & { text: string },
): Promise<CreateResult> {
  const parsed = parseScheduleCommand(request.text);
  if (!parsed.ok) return parsed;
  return createFromDraft(dependencies, client, request, parsed);
}

export async function createFromDraft(
  dependencies: CreateDependencies,
  client: SlackClient,
  request: CreateRequest,
  draft: ScheduleDraft,
): Promise<CreateResult> {
  if (!(await botCanPost(client, request.channel))) {
    return {
      ok: false,
      reason:
        "I'm not in that channel, so I couldn't post the runs there. Invite me first (`/invite @Coworker`).",
      examples: [],
    };
  }
  const person = await lookUpPerson(client, request.userId);
  const timezone = draft.timezone ?? person.timezone ?? "UTC";
  const timezoneSource: TimezoneSource = draft.timezone ? "named" : person.timezone ? "profile" : "default";
  const now = new Date(dependencies.now());
  const preview = previewSchedule(draft.cron, timezone, now);
  const { schedule, created } = await createScheduleOnce(
    dependencies.database,
    {
      id: request.id ?? randomUUID(),
      workspaceId: request.workspaceId,
      channel: request.channel,
      ownerId: request.userId,
      name: request.name?.trim() || defaultName(draft.task),
      prompt: draft.task,
      cron: preview.cron,
      timezone: preview.timezone,
      ...(request.overlapPolicy ? { overlapPolicy: request.overlapPolicy } : {}),
      ...(request.missedPolicy ? { missedPolicy: request.missedPolicy } : {}),
      ...(request.missedMaxAgeMinutes !== undefined
        ? { missedMaxAgeMinutes: request.missedMaxAgeMinutes }
        : {}),
    },
    now,
  );
  if (created && dependencies.queues) await requestSync(dependencies.queues, schedule);
  return { ok: true, schedule, preview, timezoneSource, created };
}

/**
 * A name from the task: Slack markup flattened, so a name never pings anyone. No pattern may cross
 * a `<` (`[^<>]`, not `[^>]`): otherwise a run of `<` without `>` takes quadratic time.
 */
export function defaultName(task: string): string {
  const words = task
    .replace(/<#[A-Z0-9]+\|([^<>]*)>/g, "#$1")
    .replace(/<@([A-Z0-9]+)(?:\|[^<>]*)?>/g, "@$1")
    .replace(/<([^<>|]*)\|([^<>]*)>/g, "$2")
    .replace(/<([^<>]*)>/g, "$1");
  return words.length > 60 ? `${words.slice(0, 59)}…` : words;
}

export type ChangeResult =
  | { ok: true; schedule: ScheduleRecord }
  | { ok: false; reason: string; schedule?: ScheduleRecord };

/** Finds a live schedule by id or short id and checks that the person may change it. */
export async function findForChange(
  dependencies: Pick<ManageDependencies, "database">,
  client: SlackClient,
  workspaceId: string,
  idText: string,
  userId: string,
): Promise<ChangeResult & { person?: Person }> {
  if (idText.trim() === "") return { ok: false, reason: "Say which schedule: its id is in `schedule list`." };
  const lookup = await findSchedule(dependencies.database, workspaceId, idText);
  if (lookup.type === "none") {
    return { ok: false, reason: `No schedule has the id \`${idText}\`. See \`schedule list\`.` };
  }
  if (lookup.type === "ambiguous") {
    return { ok: false, reason: `Several schedules start with \`${idText}\`: type more of the id.` };
  }
  const person = await lookUpPerson(client, userId);
  if (!mayChange(lookup.schedule, person)) {
    return { ok: false, reason: notAllowedText(lookup.schedule), schedule: lookup.schedule };
  }
  return { ok: true, schedule: lookup.schedule, person };
}

/** Pausing: owner or admin (the owner is told). Resuming: the owner only. */
export async function pauseOrResume(
  dependencies: ManageDependencies,
  schedule: ScheduleRecord,
  paused: boolean,
  actor: Actor,
): Promise<ScheduleRecord> {
  if (!paused) refuseUnlessOwner(schedule, actor, "resume");
  const changed = await setPaused(dependencies.database, schedule, paused, new Date(dependencies.now()));
  await requestSync(dependencies.queues, changed);
  if (changedByOther(schedule, actor.userId)) {
    await tellOwner(actor.client, dependencies.logger, changed, actor.userId, { type: "paused" });
  }
  return changed;
}

export async function remove(
  dependencies: ManageDependencies,
  schedule: ScheduleRecord,
  actor: Actor,
): Promise<ScheduleRecord> {
  const deleted = await deleteSchedule(dependencies.database, schedule, new Date(dependencies.now()));
  await requestSync(dependencies.queues, deleted);
  if (changedByOther(schedule, actor.userId)) {
    await tellOwner(actor.client, dependencies.logger, deleted, actor.userId, { type: "deleted" });
  }
  return deleted;
}

/** What only the owner may change: what the schedule does and where it posts. */
export function ownerOnlyChanges(
  schedule: ScheduleRecord,
  changes: ScheduleChanges,
): Array<"prompt" | "channel"> {
  return (["prompt", "channel"] as const).filter(
    (field) => changes[field] !== undefined && changes[field] !== schedule[field],
  );
}

export async function edit(
  dependencies: ManageDependencies,
  schedule: ScheduleRecord,
  changes: ScheduleChanges,
  actor: Actor,
): Promise<ScheduleRecord> {
  const byOther = changedByOther(schedule, actor.userId);
  if (byOther && ownerOnlyChanges(schedule, changes).length > 0) {
    throw new CodedError(
      "forbidden",
      `Only the owner of *${schedule.name}* (<@${schedule.ownerId}>) can change what it does or where it posts.`,
      { expected: true },
    );
  }
  const unchanged = (Object.keys(changes) as Array<keyof ScheduleChanges>).every(
    (field) => changes[field] === undefined || changes[field] === schedule[field],
  );
  // Saving the form as it was is no change: nothing to pause, nobody to tell.
  if (byOther && unchanged) return schedule;
  const changed = await updateSchedule(
    dependencies.database,
    schedule,
    changes,
    new Date(dependencies.now()),
    {
      pause: byOther,
    },
  );
  await requestSync(dependencies.queues, changed);
  if (byOther) {
    await tellOwner(actor.client, dependencies.logger, changed, actor.userId, {
      type: "edited",
      before: schedule,
    });
  }
  return changed;
}

/**
 * "Run now": a run outside the timetable, started at once by the owner (the run acts with the owner's
 * access, so nobody else may start one). Its header is keyed by the request (the slash command's
 * trigger id), so a repeated request posts once.
 */
export async function runNow(
  dependencies: ManageDependencies,
  client: SlackClient,
  schedule: ScheduleRecord,
  request: { userId: string; requestId: string },
): Promise<string> {
  refuseUnlessOwner(schedule, { userId: request.userId, client }, "run");
  const message = headerMessage(
    schedule,
    { scheduledAt: new Date(dependencies.now()), late: false, manualBy: request.userId },
    dependencies.command,
  );
  const ts = await postWithKey(client, {
    channel: schedule.channel,
    key: `manual:${schedule.id}:${request.requestId}`,
    ...message,
  });
  const runId = await createRun(
    dependencies.database,
    {
      workspaceId: schedule.workspaceId,
      channel: schedule.channel,
      user: schedule.ownerId,
      text: schedule.prompt,
      ts,
    },
    ts,
    "schedule",
    schedule.id,
  );
  await enqueueRun(dependencies.queues, runId, "start");
  return runId;
}

export async function requestSync(
  queues: Queues,
  schedule: Pick<ScheduleRecord, "id" | "version">,
): Promise<void> {
  await queues.enqueue(
    "schedule.sync",
    { scheduleId: schedule.id },
    { jobId: jobId("sync", schedule.id, String(schedule.version)) },
  );
}
