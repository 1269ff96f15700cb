import type { JsonObject, View } from "../state/types.js";

/** A view as `views.*` return it and as interactivity payloads carry it. */
export function presentView(view: View, options: { appId: string; botId: string | undefined }): JsonObject {
  const definition = view.definition;
  return {
    id: view.id,
    team_id: view.teamId,
    type: view.kind,
    blocks: definition.blocks ?? [],
    private_metadata: definition.private_metadata ?? "",
    callback_id: definition.callback_id ?? "",
    state: { values: view.stateValues },
    hash: view.hash,
    title: definition.title ?? null,
    clear_on_close: definition.clear_on_close ?? false,
    notify_on_close: definition.notify_on_close ?? false,
    close: definition.close ?? null,
    submit: definition.submit ?? null,
    previous_view_id: view.previousViewId ?? null,
    root_view_id: view.rootViewId,
    app_id: options.appId,
    external_id: view.externalId ?? "",
    app_installed_team_id: view.teamId,
    bot_id: options.botId ?? null,
  };
}
