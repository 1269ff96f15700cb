import type { EmulatorCore } from "../core.js";
import type { EventSend } from "../delivery/deliverer.js";
import { misuse } from "../misuse.js";
import type { Delivery } from "../state/activity-log.js";
import type { Conversation, Message, User } from "../state/types.js";

/** A user or channel: its id, its name (`alice`, `general`, `#general`), or a record with an id. */
export type UserRef = string | { id: string };
export type ChannelRef = string | { id: string };

/** What the app was sent because of an action. */
export interface EventResult {
  eventIds: string[];
  deliveries: Delivery[];
  /** Resolves when every delivery is acked or has used up its retries. */
  settled: Promise<Delivery[]>;
}

export interface PostResult extends EventResult {
  channel: string;
  ts: string;
  /** The thread the message is in, if any. */
  threadTs: string | undefined;
  message: Message;
}

export interface InteractionResult {
  triggerId: string;
  responseUrl: string | undefined;
  delivery: Delivery;
  /** The app answered 2xx within the ack timeout. */
  acked: boolean;
  ackTimedOut: boolean;
  /** The body of the app's ack (a command's reply, a view_submission's response_action). */
  responseBody: string | undefined;
}

/** Waits for the first attempt of every delivery (retries go on in the background). */
export async function eventResult(sends: EventSend[]): Promise<EventResult> {
  await Promise.all(sends.map((send) => send.firstAttempt));
  return {
    eventIds: sends.flatMap((send) => (send.delivery.eventId ? [send.delivery.eventId] : [])),
    deliveries: sends.map((send) => send.delivery),
    settled: Promise.all(sends.map((send) => send.settled)),
  };
}

export function interactionResult(
  delivery: Delivery,
  triggerId: string,
  responseUrl: string | undefined,
): InteractionResult {
  const last = delivery.attempts.at(-1);
  return {
    triggerId,
    responseUrl,
    delivery,
    acked: delivery.status === "acked",
    ackTimedOut: delivery.ackTimedOut,
    responseBody: last?.responseBody,
  };
}

const idOf = (reference: string | { id: string }) =>
  typeof reference === "string" ? reference : reference.id;

export function resolveUser(core: EmulatorCore, teamId: string, reference: UserRef): User {
  const key = idOf(reference);
  const user =
    core.store.directory.user(key) ??
    core.store.directory.usersOf(teamId).find((candidate) => candidate.name === key.replace(/^@/, ""));
  if (!user || user.teamId !== teamId) throw misuse(`no user ${key} in workspace ${teamId}`);
  return user;
}

export function resolveChannel(core: EmulatorCore, teamId: string, reference: ChannelRef): Conversation {
  const key = idOf(reference);
  const conversation = core.store.directory.findConversation(teamId, key);
  if (!conversation) throw misuse(`no conversation ${key} in workspace ${teamId}`);
  return conversation;
}
