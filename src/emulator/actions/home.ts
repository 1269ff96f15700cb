import type { EmulatorCore } from "../core.js";
import type { EventSend } from "../delivery/deliverer.js";
import { publishEvent } from "../events/publish.js";
import { misuse } from "../misuse.js";
import { presentView } from "../present/view.js";
import { openDirectMessage } from "../seed.js";
import {
  type ChannelRef,
  type EventResult,
  eventResult,
  resolveChannel,
  resolveUser,
  type UserRef,
} from "./results.js";

/** A person opens the app's Home tab (or Messages tab): `app_home_opened`. */
export function openHome(
  core: EmulatorCore,
  teamId: string,
  input: { user: UserRef; tab?: "home" | "messages" },
): Promise<EventResult> {
  const user = resolveUser(core, teamId, input.user);
  const conversation = openDirectMessage(core, teamId, user.id);
  const home = core.store.views.home(teamId, user.id);
  const install = core.store.directory.install(teamId);
  const tab = input.tab ?? "home";
  const event = {
    type: "app_home_opened",
    user: user.id,
    channel: conversation.id,
    tab,
    ...(tab === "home" && home
      ? { view: presentView(home, { appId: core.app.id, botId: install?.botId }) }
      : {}),
    event_ts: core.timestamps.next(),
  };
  const send = publishEvent(core, teamId, event);
  return eventResult(send ? [send] : []);
}

export interface AssistantThreadStarted extends EventResult {
  channel: string;
  threadTs: string;
}

/**
 * A person opens a new thread in the app's assistant (AI app) pane: Slack creates the thread in the
 * DM and sends `assistant_thread_started`, with the channel the person was looking at as context.
 */
export async function startAssistantThread(
  core: EmulatorCore,
  teamId: string,
  input: { user: UserRef; contextChannel?: ChannelRef },
): Promise<AssistantThreadStarted> {
  const user = resolveUser(core, teamId, input.user);
  const install = core.store.directory.install(teamId);
  if (!install) throw misuse(`the app is not in workspace ${teamId}`);
  const conversation = openDirectMessage(core, teamId, user.id);
  const context = input.contextChannel ? resolveChannel(core, teamId, input.contextChannel) : undefined;
  const parent = core.store.messages.add({
    teamId,
    channel: conversation.id,
    ts: core.timestamps.next(),
    user: install.botUserId,
    botId: install.botId,
    appId: core.app.id,
    subtype: "assistant_app_thread",
    text: "",
    assistantThread: { title: undefined },
  });
  parent.threadTs = parent.ts;
  core.store.updateAssistantThread(
    { teamId, channel: conversation.id, threadTs: parent.ts },
    { userId: user.id },
  );
  const event = {
    type: "assistant_thread_started",
    assistant_thread: {
      user_id: user.id,
      context: { ...(context ? { channel_id: context.id } : {}), team_id: teamId, enterprise_id: null },
      channel_id: conversation.id,
      thread_ts: parent.ts,
    },
    event_ts: core.timestamps.next(),
  };
  const sends: EventSend[] = [];
  const send = publishEvent(core, teamId, event);
  if (send) sends.push(send);
  const result = await eventResult(sends);
  return { ...result, channel: conversation.id, threadTs: parent.ts };
}
