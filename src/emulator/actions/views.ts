import type { EmulatorCore } from "../core.js";
import { elementOptions, interactionHead, interactivityBody } from "../interactivity/payloads.js";
import { misuse } from "../misuse.js";
import { presentView } from "../present/view.js";
import type { JsonObject, View } from "../state/types.js";
import { validateBlocks } from "../web-api/blocks.js";
import { SlackMethodError } from "../web-api/method-error.js";
import { newView, viewHash } from "../web-api/methods/views.js";
import { type InteractionResult, interactionResult, resolveUser, type UserRef } from "./results.js";

/** Values by block_id then action_id: a string (typed from the element), or the full value object. */
export type ViewValues = Record<string, Record<string, string | string[] | JsonObject>>;

export interface SubmitViewInput {
  user: UserRef;
  /** Default: the user's top open modal (with this callback_id, if given). */
  viewId?: string;
  callbackId?: string;
  values?: ViewValues;
}

export interface ViewSubmissionResult extends InteractionResult {
  responseAction: "errors" | "update" | "push" | "clear" | undefined;
  errors: Record<string, string> | undefined;
  /** The view submitted (closed unless the app kept it open). */
  view: View;
}

function typedValue(element: JsonObject, value: string | string[] | JsonObject | undefined): JsonObject {
  const type = String(element.type);
  if (value !== undefined && typeof value === "object" && !Array.isArray(value)) return { type, ...value };
  const options = elementOptions(element);
  const one = Array.isArray(value) ? value[0] : value;
  switch (type) {
    case "static_select":
    case "external_select":
    case "radio_buttons":
      return { type, selected_option: options.find((option) => option.value === one) ?? null };
    case "checkboxes":
    case "multi_static_select": {
      const wanted = Array.isArray(value) ? value : one === undefined ? [] : [one];
      return { type, selected_options: options.filter((option) => wanted.includes(String(option.value))) };
    }
    case "users_select":
      return { type, selected_user: one ?? null };
    case "conversations_select":
      return { type, selected_conversation: one ?? null };
    case "channels_select":
      return { type, selected_channel: one ?? null };
    case "datepicker":
      return { type, selected_date: one ?? null };
    default:
      return { type, value: one ?? null };
  }
}

/** `state.values` for every input block of the view, filled with what the person typed. */
export function stateValues(view: View, values: ViewValues = {}): View["stateValues"] {
  const state: View["stateValues"] = {};
  for (const block of (view.definition.blocks as JsonObject[] | undefined) ?? []) {
    const element = block.element as JsonObject | undefined;
    if (block.type !== "input" || !element || typeof block.block_id !== "string") continue;
    const actionId = String(element.action_id ?? "");
    state[block.block_id] = { [actionId]: typedValue(element, values[block.block_id]?.[actionId]) };
  }
  for (const [blockId, actions] of Object.entries(values)) {
    for (const [actionId, value] of Object.entries(actions)) {
      if (state[blockId]?.[actionId]) continue;
      state[blockId] = { ...state[blockId], [actionId]: typedValue({ type: "plain_text_input" }, value) };
    }
  }
  return state;
}

function findModal(core: EmulatorCore, teamId: string, userId: string, input: SubmitViewInput): View {
  const view = input.viewId
    ? core.store.views.get(input.viewId)
    : core.store.views
        .stack(teamId, userId)
        .filter(
          (candidate) =>
            input.callbackId === undefined || candidate.definition.callback_id === input.callbackId,
        )
        .at(-1);
  if (!view?.open || view.kind !== "modal") throw misuse("no open modal to submit");
  return view;
}

/** Applies the app's answer to a view_submission (`response_action` errors/update/push/clear, or close). */
function applySubmissionAck(core: EmulatorCore, view: View, body: JsonObject | undefined) {
  const action = body?.response_action as ViewSubmissionResult["responseAction"];
  if (action === "errors") {
    const errors = (body?.errors ?? {}) as Record<string, string>;
    core.store.views.update(view, { errors });
    return { action, errors };
  }
  if (action === "update" || action === "push") {
    const definition = body?.view as JsonObject | undefined;
    if (!definition)
      throw new SlackMethodError("invalid_arguments", ["[ERROR] missing required field: view"]);
    validateBlocks(definition.blocks ?? [], { maxBlocks: 100, pointer: "/view/blocks" });
    if (action === "update") {
      core.store.views.update(view, {
        definition,
        hash: viewHash(core),
        errors: undefined,
        updated: core.now(),
      });
    } else {
      const pushed = newView(core, {
        teamId: view.teamId,
        userId: view.userId,
        definition,
        previousViewId: view.id,
        rootViewId: view.rootViewId,
      });
      core.store.views.openModal(pushed, { push: true });
    }
    return { action, errors: undefined };
  }
  if (action === "clear") core.store.views.closeAll(view.teamId, view.userId);
  else core.store.views.close(view);
  return { action, errors: undefined };
}

/** A person submits a modal: the app gets `view_submission`; its ack decides what happens next. */
export async function submitView(
  core: EmulatorCore,
  teamId: string,
  input: SubmitViewInput,
): Promise<ViewSubmissionResult> {
  const team = core.store.directory.team(teamId);
  const user = resolveUser(core, teamId, input.user);
  if (!team) throw misuse(`no workspace ${teamId}`);
  const view = findModal(core, teamId, user.id, input);
  core.store.views.update(view, { stateValues: stateValues(view, input.values) });
  const triggerId = core.triggers.issue(teamId, user.id);
  const install = core.store.directory.install(teamId);
  const payload: JsonObject = {
    ...interactionHead(core, "view_submission", team, user),
    trigger_id: triggerId,
    view: presentView(view, { appId: core.app.id, botId: install?.botId }),
    response_urls: [],
  };
  const delivery = await core.deliverer.sendInteractive(
    teamId,
    "interactivity",
    "view_submission",
    interactivityBody(payload),
    payload,
  );
  const result = interactionResult(delivery, triggerId, undefined);
  if (!result.acked) return { ...result, responseAction: undefined, errors: undefined, view };
  const body = parseJson(result.responseBody);
  const applied = applySubmissionAck(core, view, body);
  return { ...result, responseAction: applied.action, errors: applied.errors, view };
}

/** A person closes a modal; the app hears `view_closed` if the view asked (`notify_on_close`). */
export async function closeView(
  core: EmulatorCore,
  teamId: string,
  input: { user: UserRef; viewId?: string },
): Promise<InteractionResult | undefined> {
  const team = core.store.directory.team(teamId);
  const user = resolveUser(core, teamId, input.user);
  if (!team) throw misuse(`no workspace ${teamId}`);
  const view = findModal(core, teamId, user.id, { user: input.user, viewId: input.viewId });
  core.store.views.close(view);
  if (view.definition.notify_on_close !== true) return undefined;
  const install = core.store.directory.install(teamId);
  const payload: JsonObject = {
    ...interactionHead(core, "view_closed", team, user),
    view: presentView(view, { appId: core.app.id, botId: install?.botId }),
    is_cleared: false,
  };
  const delivery = await core.deliverer.sendInteractive(
    teamId,
    "interactivity",
    "view_closed",
    interactivityBody(payload),
    payload,
  );
  return interactionResult(delivery, "", undefined);
}

function parseJson(text: string | undefined): JsonObject | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}
