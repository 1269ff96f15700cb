import type { App } from "@slack/bolt";
import type { Services } from "../../services.js";
import { type MessageEventLike, receiveMessage } from "./incoming.js";

/**
 * Mentions, DMs and thread replies. Bolt acks events before listeners run; these only persist and
 * enqueue (./incoming.ts, src/slack/intake.ts), so Slack's 3-second limit is never at risk. Replies
 * in DM threads (the assistant surface) are taken by the Assistant (src/slack/assistant.ts) before
 * they reach these listeners, so no message is handled twice.
 */
export function registerMessageListeners(app: App, services: Services): void {
  app.event("app_mention", async ({ event, context, body, client }) => {
    await receiveMessage(services, client, {
      kind: "app_mention",
      event: event as MessageEventLike,
      context,
      body,
    });
  });
  app.message(async ({ message, context, body, client }) => {
    await receiveMessage(services, client, {
      kind: "message",
      event: message as MessageEventLike,
      context,
      body,
    });
  });
}
