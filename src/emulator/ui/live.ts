import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorCore } from "../core.js";
import type { WorkspaceChange } from "../state/change-feed.js";
import type { JsonObject } from "../state/types.js";
import { uiAssistantThread, uiConversation, uiEphemeral, uiMessage, uiView } from "./present.js";

const heartbeatMs = 15_000;

/** A store change as the UI hears it; undefined for changes it does not show (API calls, deliveries). */
export function uiChange(core: EmulatorCore, change: WorkspaceChange): JsonObject | undefined {
  switch (change.type) {
    case "message_posted":
    case "message_updated":
    case "message_deleted":
      return { type: change.type, teamId: change.message.teamId, message: uiMessage(core, change.message) };
    case "reaction_added":
    case "reaction_removed":
      return {
        type: "message_updated",
        teamId: change.message.teamId,
        message: uiMessage(core, change.message),
      };
    case "ephemeral_posted":
    case "ephemeral_updated":
    case "ephemeral_deleted":
      return { type: change.type, teamId: change.ephemeral.teamId, ephemeral: uiEphemeral(change.ephemeral) };
    case "view_opened":
    case "view_updated":
    case "view_closed":
    case "home_published":
      return { type: change.type, teamId: change.view.teamId, view: uiView(change.view) };
    case "assistant_thread_updated":
      return {
        type: change.type,
        teamId: change.thread.teamId,
        thread: uiAssistantThread(change.thread, core.now()),
      };
    case "conversation_created":
    case "member_joined":
      return {
        type: change.type,
        teamId: change.conversation.teamId,
        conversation: uiConversation(change.conversation),
      };
    case "team_created":
      return { type: change.type, teamId: change.team.id };
    case "user_added":
      return { type: change.type, teamId: change.user.teamId };
    case "app_installed":
      return { type: change.type, teamId: change.install.teamId };
    default:
      return undefined;
  }
}

/**
 * `GET /ui/api/events`: the store's change stream as Server-Sent Events, one `data:` line of JSON per
 * change, so edits and streamed text show up as they happen. Ends when the browser goes away.
 */
export function streamChanges(core: EmulatorCore, request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
  });
  response.write("retry: 1000\n\n");
  const unsubscribe = core.store.subscribe((change) => {
    const event = uiChange(core, change);
    if (event) response.write(`data: ${JSON.stringify(event)}\n\n`);
  });
  const heartbeat = setInterval(() => response.write(": heartbeat\n\n"), heartbeatMs);
  heartbeat.unref();
  const stop = () => {
    unsubscribe();
    clearInterval(heartbeat);
  };
  request.once("close", stop);
  response.once("close", stop);
}
