import type { EmulatorCore } from "../core.js";
import {
  actionEntry,
  channelSummary,
  findElement,
  interactionHead,
  interactivityBody,
  slashCommandForm,
} from "../interactivity/payloads.js";
import { applyResponse } from "../interactivity/respond.js";
import { misuse } from "../misuse.js";
import { presentMessage } from "../present/message.js";
import { presentView } from "../present/view.js";
import type { JsonObject, Team } from "../state/types.js";
import {
  type ChannelRef,
  type InteractionResult,
  interactionResult,
  resolveChannel,
  resolveUser,
  type UserRef,
} from "./results.js";

export interface ClickInput {
  user: UserRef;
  actionId: string;
  /** Override the element's value (for a select: the option value to pick). */
  value?: string;
  blockId?: string;
  /** A button in a message (regular or ephemeral): its channel and ts. */
  channel?: ChannelRef;
  messageTs?: string;
  /** A button in a modal or App Home view. */
  viewId?: string;
}

function teamOf(core: EmulatorCore, teamId: string): Team {
  const team = core.store.directory.team(teamId);
  if (!team) throw misuse(`no workspace ${teamId}`);
  return team;
}

/**
 * A person clicks a button (or picks an option) in a message or a view: the app gets a signed
 * `block_actions` payload with a fresh trigger_id (and, for messages, a response_url).
 */
export async function clickElement(
  core: EmulatorCore,
  teamId: string,
  input: ClickInput,
): Promise<InteractionResult> {
  const team = teamOf(core, teamId);
  const user = resolveUser(core, teamId, input.user);
  const triggerId = core.triggers.issue(teamId, user.id);
  const actionTs = core.timestamps.next();
  const payload: JsonObject = {
    ...interactionHead(core, "block_actions", team, user),
    trigger_id: triggerId,
  };
  let responseUrl: string | undefined;
  let found: ReturnType<typeof findElement>;
  if (input.viewId) {
    const view = core.store.views.get(input.viewId);
    if (!view || view.teamId !== teamId) throw misuse(`no view ${input.viewId}`);
    found = findElement(view.definition.blocks as JsonObject[] | undefined, input.actionId, input.blockId);
    const install = core.store.directory.install(teamId);
    payload.container = { type: "view", view_id: view.id };
    payload.view = presentView(view, { appId: core.app.id, botId: install?.botId });
    payload.state = { values: view.stateValues };
  } else {
    if (!input.channel || !input.messageTs)
      throw misuse("clickButton needs channel and messageTs, or viewId");
    const conversation = resolveChannel(core, teamId, input.channel);
    const ephemeral = core.store.messages.findEphemeral(conversation.id, input.messageTs);
    const message = ephemeral ? undefined : core.store.messages.find(conversation.id, input.messageTs);
    if (!ephemeral && !message) throw misuse(`no message ${input.messageTs} in ${conversation.id}`);
    found = findElement(ephemeral?.blocks ?? message?.blocks, input.actionId, input.blockId);
    const threadTs = ephemeral?.threadTs ?? message?.threadTs;
    responseUrl = core.responseUrls.issue({
      teamId,
      channel: conversation.id,
      userId: user.id,
      messageTs: input.messageTs,
      isEphemeral: ephemeral !== undefined,
      threadTs,
      source: "block_actions",
    });
    payload.container = {
      type: "message",
      message_ts: input.messageTs,
      channel_id: conversation.id,
      is_ephemeral: ephemeral !== undefined,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    };
    payload.channel = channelSummary(conversation);
    if (message) payload.message = presentMessage(core.present, message);
    payload.state = { values: {} };
    payload.response_url = responseUrl;
  }
  if (!found) throw misuse(`no element with action_id ${input.actionId}`);
  const blockId = typeof found.block.block_id === "string" ? found.block.block_id : core.ids.next("", 5);
  payload.actions = [actionEntry(found.element, blockId, input.value, actionTs)];
  const delivery = await core.deliverer.sendInteractive(
    teamId,
    "interactivity",
    "block_actions",
    interactivityBody(payload),
    payload,
  );
  return interactionResult(delivery, triggerId, responseUrl);
}

export interface SlashCommandInput {
  user: UserRef;
  channel: ChannelRef;
  command: string;
  text?: string;
}

/**
 * A person runs a slash command. A message in the app's ack (JSON `{text, response_type}` or plain
 * text) is shown as Slack shows it: ephemeral to the user unless `response_type: "in_channel"`.
 */
export async function runSlashCommand(
  core: EmulatorCore,
  teamId: string,
  input: SlashCommandInput,
): Promise<InteractionResult> {
  const team = teamOf(core, teamId);
  const user = resolveUser(core, teamId, input.user);
  const conversation = resolveChannel(core, teamId, input.channel);
  const triggerId = core.triggers.issue(teamId, user.id);
  const target = {
    teamId,
    channel: conversation.id,
    userId: user.id,
    messageTs: undefined,
    isEphemeral: false,
    threadTs: undefined,
    source: "slash_command" as const,
  };
  const responseUrl = core.responseUrls.issue(target);
  const command = input.command.startsWith("/") ? input.command : `/${input.command}`;
  const form = slashCommandForm(core, {
    team,
    user,
    conversation,
    command,
    text: input.text ?? "",
    responseUrl,
    triggerId,
  });
  const body = new URLSearchParams(form).toString();
  const delivery = await core.deliverer.sendInteractive(teamId, "command", command, body, form);
  const result = interactionResult(delivery, triggerId, responseUrl);
  if (result.acked && result.responseBody) {
    const reply = parseAck(result.responseBody);
    applyResponse(core, { ...target, id: "", createdAt: core.now(), uses: 0 }, reply);
  }
  return result;
}

function parseAck(body: string): JsonObject {
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as JsonObject;
  } catch {
    // Plain text: Slack shows it as the (ephemeral) reply.
  }
  return { text: body };
}
