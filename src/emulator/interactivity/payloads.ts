import type { EmulatorCore } from "../core.js";
import type { Conversation, JsonObject, Team, User } from "../state/types.js";

/** The `user` object of interactivity payloads. */
export function payloadUser(user: User): JsonObject {
  return { id: user.id, username: user.name, name: user.name, team_id: user.teamId };
}

function payloadTeam(team: Team): JsonObject {
  return { id: team.id, domain: team.domain };
}

/** The common head of block_actions / view_submission / view_closed payloads. */
export function interactionHead(core: EmulatorCore, type: string, team: Team, user: User): JsonObject {
  return {
    type,
    user: payloadUser(user),
    api_app_id: core.app.id,
    token: core.app.verificationToken,
    team: payloadTeam(team),
    enterprise: null,
    is_enterprise_install: false,
  };
}

export function channelSummary(conversation: Conversation): JsonObject {
  return { id: conversation.id, name: conversation.kind === "im" ? "directmessage" : conversation.name };
}

/** `payload=<json>`, form-encoded, as Slack posts interactivity requests. */
export function interactivityBody(payload: JsonObject): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface SlashCommandFields {
  team: Team;
  user: User;
  conversation: Conversation;
  command: string;
  text: string;
  responseUrl: string;
  triggerId: string;
}

/** A slash command invocation, form-encoded with Slack's field names. */
export function slashCommandForm(core: EmulatorCore, fields: SlashCommandFields): Record<string, string> {
  return {
    token: core.app.verificationToken,
    team_id: fields.team.id,
    team_domain: fields.team.domain,
    channel_id: fields.conversation.id,
    channel_name: fields.conversation.kind === "im" ? "directmessage" : (fields.conversation.name ?? ""),
    user_id: fields.user.id,
    user_name: fields.user.name,
    command: fields.command,
    text: fields.text,
    api_app_id: core.app.id,
    is_enterprise_install: "false",
    response_url: fields.responseUrl,
    trigger_id: fields.triggerId,
  };
}

/** Where an element with `action_id` sits in a list of blocks. */
export function findElement(
  blocks: JsonObject[] | undefined,
  actionId: string,
  blockId?: string,
): { block: JsonObject; element: JsonObject } | undefined {
  for (const block of blocks ?? []) {
    if (blockId !== undefined && block.block_id !== blockId) continue;
    const candidates: unknown[] = [
      block.accessory,
      block.element,
      ...(Array.isArray(block.elements) ? block.elements : []),
    ];
    for (const candidate of candidates) {
      if (
        typeof candidate === "object" &&
        candidate !== null &&
        (candidate as JsonObject).action_id === actionId
      ) {
        return { block, element: candidate as JsonObject };
      }
    }
  }
  return undefined;
}

/** The options of a select/overflow/checkbox element, flattened (option groups included). */
export function elementOptions(element: JsonObject): JsonObject[] {
  const direct = Array.isArray(element.options) ? (element.options as JsonObject[]) : [];
  const grouped = Array.isArray(element.option_groups)
    ? (element.option_groups as JsonObject[]).flatMap((group) =>
        Array.isArray(group.options) ? (group.options as JsonObject[]) : [],
      )
    : [];
  return [...direct, ...grouped];
}

/** The `actions[0]` entry Slack sends when a user operates an element. */
export function actionEntry(
  element: JsonObject,
  blockId: string,
  value: string | undefined,
  actionTs: string,
): JsonObject {
  const base = { type: element.type, action_id: element.action_id, block_id: blockId, action_ts: actionTs };
  const options = elementOptions(element);
  const pickOption = () => options.find((option) => option.value === value) ?? options[0];
  switch (element.type) {
    case "button":
      return {
        ...base,
        text: element.text,
        ...((value ?? element.value) !== undefined ? { value: value ?? element.value } : {}),
        ...(element.style ? { style: element.style } : {}),
      };
    case "static_select":
    case "external_select":
    case "overflow":
    case "radio_buttons":
      return { ...base, selected_option: pickOption() ?? null };
    case "checkboxes":
    case "multi_static_select":
      return { ...base, selected_options: options.filter((option) => option.value === value) };
    case "users_select":
      return { ...base, selected_user: value ?? null };
    case "conversations_select":
      return { ...base, selected_conversation: value ?? null };
    case "channels_select":
      return { ...base, selected_channel: value ?? null };
    case "datepicker":
      return { ...base, selected_date: value ?? null };
    default:
      return { ...base, value: value ?? element.value ?? null };
  }
}
