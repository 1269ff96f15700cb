import type { SlackClient } from "../slack/clients.js";
import type { ScheduleRecord } from "./store.js";
import { canonicalTimezone } from "./timezone.js";

/**
 * What the schedule commands need to know about a person, from users.info: their timezone (a
 * schedule runs in its creator's zone unless another is named) and whether they are a workspace
 * admin. The owner may do anything with their schedule; a workspace admin may pause or delete it and
 * change its timing and policies, never what it does or where it posts, nor resume or run it (a
 * schedule runs with its owner's access, so only the owner says it may run again).
 */
export interface Person {
  id: string;
  /** An IANA zone Intl knows, or undefined when the profile has none (or an unknown one). */
  timezone: string | undefined;
  isAdmin: boolean;
}

export async function lookUpPerson(client: SlackClient, userId: string): Promise<Person> {
  const response = await client.users.info({ user: userId });
  const user = response.user;
  const timezone = typeof user?.tz === "string" ? canonicalTimezone(user.tz) : undefined;
  return { id: userId, timezone, isAdmin: user?.is_admin === true || user?.is_owner === true };
}

export function mayChange(schedule: Pick<ScheduleRecord, "ownerId">, person: Person): boolean {
  return schedule.ownerId === person.id || person.isAdmin;
}

/** What only the owner may do, whoever else asks: start it again, or start a run now. */
export type OwnerOnlyAction = "resume" | "run";

export function ownerOnlyText(schedule: Pick<ScheduleRecord, "ownerId" | "name">, action: OwnerOnlyAction) {
  return action === "run"
    ? `Only the owner of *${schedule.name}* (<@${schedule.ownerId}>) can run it now: its runs act with their access.`
    : `Only the owner of *${schedule.name}* (<@${schedule.ownerId}>) can resume it: its runs act with their access.`;
}

export function notAllowedText(schedule: Pick<ScheduleRecord, "ownerId" | "name">): string {
  return `Only the owner of *${schedule.name}* (<@${schedule.ownerId}>) or a workspace admin can change it.`;
}

/** Whether the bot can post in the channel: a member of it, or the person's DM with the bot. */
export async function botCanPost(client: SlackClient, channel: string): Promise<boolean> {
  try {
    const response = await client.conversations.info({ channel });
    const conversation = response.channel;
    return conversation?.is_im === true || conversation?.is_member === true;
  } catch {
    return false;
  }
}
