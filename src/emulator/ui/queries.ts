import type { EmulatorCore } from "../core.js";
import { compareTimestamps } from "../state/message-log.js";
import type { JsonObject } from "../state/types.js";
import { uiAssistantThread, uiConversation, uiEphemeral, uiMessage, uiUser, uiView } from "./present.js";

/** What the UI reads: the workspaces with their people and conversations, messages, views. */
export function workspaces(core: EmulatorCore): JsonObject {
  return {
    app: { id: core.app.id, name: core.app.name },
    workspaces: core.store.directory.allTeams().map((team) => {
      const install = core.store.directory.install(team.id);
      return {
        id: team.id,
        name: team.name,
        domain: team.domain,
        botUserId: install?.botUserId,
        botId: install?.botId,
        installed: install?.token !== undefined,
        users: core.store.directory.usersOf(team.id).map(uiUser),
        conversations: core.store.directory.conversationsOf(team.id).map(uiConversation),
      };
    }),
  };
}

/** Top-level messages of a conversation (what the channel shows), oldest first. */
export function channelMessages(core: EmulatorCore, channel: string): JsonObject {
  return { messages: core.store.messages.topLevel(channel).map((message) => uiMessage(core, message)) };
}

/** A thread: the parent and its replies, and its assistant (AI app) state if it has one. */
export function threadMessages(core: EmulatorCore, channel: string, threadTs: string): JsonObject {
  const thread = core.store.assistantThread(channel, threadTs);
  return {
    messages: core.store.messages.thread(channel, threadTs).map((message) => uiMessage(core, message)),
    assistant: thread ? uiAssistantThread(thread, core.now()) : null,
  };
}

/** The ephemeral messages one person sees, oldest first. */
export function ephemerals(core: EmulatorCore, teamId: string, userId: string): JsonObject {
  return {
    ephemerals: core.store.messages
      .ephemerals({ teamId, user: userId })
      .sort((left, right) => compareTimestamps(left.ts, right.ts))
      .map(uiEphemeral),
  };
}

/** One person's open modals (bottom first) and App Home. */
export function personViews(core: EmulatorCore, teamId: string, userId: string): JsonObject {
  const home = core.store.views.home(teamId, userId);
  return {
    modals: core.store.views.stack(teamId, userId).map(uiView),
    home: home ? uiView(home) : null,
  };
}
