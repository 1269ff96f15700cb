import type { App } from "@slack/bolt";
import type { Services } from "../../services.js";
import { acceptMessage, type IncomingMessage } from "../intake.js";

/**
 * Mentions, DMs and thread replies. Bolt acks events before listeners run; these only persist and
 * enqueue (src/slack/intake.ts), so Slack's 3-second limit is never at risk. A reply that steers a
 * running task gets an :eyes: reaction so the person knows it was received.
 */
interface MessageEventLike {
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

export function registerMessageListeners(app: App, services: Services): void {
  const handle = async (
    kind: IncomingMessage["kind"],
    event: MessageEventLike,
    context: { teamId?: string; botUserId?: string; enterpriseId?: string },
    body: { event_id?: string; team_id?: string },
    client: App["client"],
  ) => {
    // Other bots (and our own echoes, which Bolt's ignoreSelf already drops) never start work.
    if (event.bot_id || !event.user) return;
    if (event.subtype && event.subtype !== "thread_broadcast" && event.subtype !== "file_share") return;
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
      await client.reactions
        .add({ channel: event.channel, timestamp: event.ts, name: "eyes" })
        .catch((error) => services.logger.warn({ error: String(error) }, "could not acknowledge steering"));
    }
  };

  app.event("app_mention", async ({ event, context, body, client }) => {
    await handle("app_mention", event as MessageEventLike, context, body, client);
  });
  app.message(async ({ message, context, body, client }) => {
    await handle("message", message as MessageEventLike, context, body, client);
  });
}

function stripMention(text: string, botUserId: string | undefined): string {
  return (botUserId ? text.replaceAll(`<@${botUserId}>`, "") : text).trim();
}
