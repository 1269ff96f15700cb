import type { Services } from "../../services.js";
import type { SlackClient } from "../clients.js";
import { acceptMessage, type IncomingMessage, type IntakeResult } from "../intake.js";

/**
 * One path for every message that may start or steer work, whichever surface it came from (a
 * mention, a channel or DM message, an assistant thread): validate, hand to the intake (persist and
 * enqueue), and acknowledge steering with :eyes:. A reply from someone other than the requester gets
 * :speech_balloon: and a private note to its author (only the requester directs a task).
 */
export interface MessageEventLike {
  type: string;
  subtype?: string;
  channel: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts: string;
  thread_ts?: string;
}

export interface EventContext {
  teamId?: string;
  botUserId?: string;
}

export async function receiveMessage(
  services: Services,
  client: SlackClient,
  input: {
    kind: IncomingMessage["kind"];
    event: MessageEventLike;
    context: EventContext;
    body: { event_id?: string; team_id?: string };
  },
): Promise<IntakeResult> {
  const { kind, event, context, body } = input;
  // Other bots (and our own echoes, which Bolt's ignoreSelf already drops) never start work.
  if (event.bot_id || !event.user) return { type: "ignored" };
  if (event.subtype && event.subtype !== "thread_broadcast" && event.subtype !== "file_share") {
    return { type: "ignored" };
  }
  const workspaceId = context.teamId ?? body.team_id ?? "";
  const text = event.text ?? "";
  const result = await acceptMessage(services, {
    eventId: body.event_id ?? `${workspaceId}-${event.channel}-${event.ts}-${kind}`,
    kind,
    workspaceId,
    channel: event.channel,
    channelType: event.channel_type,
    user: event.user,
    text: stripMention(text, context.botUserId),
    ts: event.ts,
    threadTs: event.thread_ts,
    mentionsBot: context.botUserId ? text.includes(`<@${context.botUserId}>`) : false,
  });
  services.logger.debug(
    { workspaceId, channel: event.channel, ts: event.ts, kind, result: result.type },
    "message accepted",
  );
  if (result.type === "steering") {
    // Not awaited: the event is acknowledged once it is stored, not after Slack answers this call.
    void client.reactions
      .add({ channel: event.channel, timestamp: event.ts, name: "eyes" })
      .catch((error) => services.logger.warn({ error: String(error) }, "could not acknowledge steering"));
  }
  if (result.type === "observed") {
    // Noticed, not obeyed: the person learns how to ask for themselves, the requester sees a mark.
    void noticeOtherPerson(client, event, result.requesterId).catch((error) =>
      services.logger.warn({ error: String(error) }, "could not notice a reply from someone else"),
    );
  }
  return result;
}

/** Reaction on a reply the coworker read as context only (someone other than the requester wrote it). */
export const observedReaction = "speech_balloon";

async function noticeOtherPerson(client: SlackClient, event: MessageEventLike, requesterId: string) {
  await client.reactions.add({ channel: event.channel, timestamp: event.ts, name: observedReaction });
  await client.chat.postEphemeral({
    channel: event.channel,
    user: event.user ?? "",
    ...(event.thread_ts ? { thread_ts: event.thread_ts } : {}),
    text:
      `Only <@${requesterId}> can direct this task: I'll read your message as context, not as instructions. ` +
      "Mention @Coworker to start your own.",
  });
}

function stripMention(text: string, botUserId: string | undefined): string {
  return (botUserId ? text.replaceAll(`<@${botUserId}>`, "") : text).trim();
}
