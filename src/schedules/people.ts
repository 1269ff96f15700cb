import type { SlackClient } from "../slack/clients.js";
import type { ScheduleRecord } from "./store.js";
import { canonicalTimezone } from "./timezone.js";

/**
 * What the schedule commands need to know about a person, from users.info: their timezone (a
 * schedule runs in its creator's zone unless another is named) and whether they are a workspace
 * admin (only the owner or an admin may change a schedule).
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
