import type { EmulatorCore } from "../../core.js";
import { presentView } from "../../present/view.js";
import type { JsonObject, View } from "../../state/types.js";
import { authOf, type MethodAuth, type MethodCall, type MethodDefinition } from "../definition.js";
import { SlackMethodError } from "../method-error.js";
import { parseView } from "../view-input.js";

export function viewHash(core: EmulatorCore): string {
  return `${Math.floor(core.now() / 1000)}.${core.ids.hex(8)}`;
}

/** A new view record for a definition the app sent. */
export function newView(
  core: EmulatorCore,
  fields: {
    teamId: string;
    userId: string;
    definition: JsonObject;
    previousViewId?: string;
    rootViewId?: string;
  },
): View {
  const id = core.ids.next("V");
  const externalId =
    typeof fields.definition.external_id === "string" ? fields.definition.external_id : undefined;
  return {
    id,
    teamId: fields.teamId,
    userId: fields.userId,
    kind: fields.definition.type === "home" ? "home" : "modal",
    definition: fields.definition,
    hash: viewHash(core),
    externalId,
    rootViewId: fields.rootViewId ?? id,
    previousViewId: fields.previousViewId,
    stateValues: {},
    errors: undefined,
    open: true,
    created: core.now(),
    updated: core.now(),
  };
}

export function viewResult(core: EmulatorCore, auth: MethodAuth, view: View) {
  return { view: presentView(view, { appId: core.app.id, botId: auth.install.botId }) };
}

function assertExternalIdFree(
  core: EmulatorCore,
  teamId: string,
  definition: JsonObject,
  except?: View,
): void {
  if (typeof definition.external_id !== "string") return;
  const holder = core.store.views.byExternalId(teamId, definition.external_id);
  if (holder && holder !== except) throw new SlackMethodError("duplicate_external_id");
}

/** The user a trigger (or interactivity pointer) was issued to, using it up. */
function consumeTrigger(call: MethodCall, auth: MethodAuth): string {
  const trigger = call.args.string("trigger_id") ?? call.args.string("interactivity_pointer");
  if (!trigger)
    throw new SlackMethodError("invalid_arguments", ["[ERROR] missing required field: trigger_id"]);
  const check = call.core.triggers.consume(trigger, auth.team.id);
  if (!check.ok) throw new SlackMethodError(check.error);
  return check.userId;
}

export const viewMethods: MethodDefinition[] = [
  {
    name: "views.open",
    handle(call) {
      const auth = authOf(call);
      const definition = parseView(call.args, "modal");
      const userId = consumeTrigger(call, auth);
      assertExternalIdFree(call.core, auth.team.id, definition);
      const view = newView(call.core, { teamId: auth.team.id, userId, definition });
      call.core.store.views.openModal(view, { push: false });
      return viewResult(call.core, auth, view);
    },
  },
  {
    name: "views.push",
    handle(call) {
      const auth = authOf(call);
      const definition = parseView(call.args, "modal");
      const userId = consumeTrigger(call, auth);
      const stack = call.core.store.views.stack(auth.team.id, userId);
      const top = stack.at(-1);
      if (!top) throw new SlackMethodError("not_found");
      if (stack.length >= 3) throw new SlackMethodError("push_limit_reached");
      assertExternalIdFree(call.core, auth.team.id, definition);
      const view = newView(call.core, {
        teamId: auth.team.id,
        userId,
        definition,
        previousViewId: top.id,
        rootViewId: top.rootViewId,
      });
      call.core.store.views.openModal(view, { push: true });
      return viewResult(call.core, auth, view);
    },
  },
  {
    name: "views.update",
    handle(call) {
      const auth = authOf(call);
      const { core, args } = call;
      const viewId = args.string("view_id");
      const externalId = args.string("external_id");
      if (!viewId && !externalId) {
        throw new SlackMethodError("invalid_arguments", [
          "[ERROR] either view_id or external_id is required",
        ]);
      }
      const view = viewId
        ? core.store.views.get(viewId)
        : core.store.views.byExternalId(auth.team.id, externalId as string);
      if (!view || view.teamId !== auth.team.id || (view.kind === "modal" && !view.open)) {
        throw new SlackMethodError("not_found");
      }
      const definition = parseView(args, view.kind);
      const hash = args.string("hash");
      if (hash !== undefined && hash !== view.hash) throw new SlackMethodError("hash_conflict");
      assertExternalIdFree(core, auth.team.id, definition, view);
      core.store.views.update(view, {
        definition,
        hash: viewHash(core),
        externalId: typeof definition.external_id === "string" ? definition.external_id : view.externalId,
        errors: undefined,
        updated: core.now(),
      });
      return viewResult(core, auth, view);
    },
  },
  {
    name: "views.publish",
    handle(call) {
      const auth = authOf(call);
      const { core, args } = call;
      const userId = args.requiredString("user_id");
      const user = core.store.directory.user(userId);
      if (!user || user.teamId !== auth.team.id) throw new SlackMethodError("user_not_found");
      const definition = parseView(args, "home");
      const existing = core.store.views.home(auth.team.id, userId);
      const hash = args.string("hash");
      if (existing && hash !== undefined && hash !== existing.hash)
        throw new SlackMethodError("hash_conflict");
      if (existing) {
        core.store.views.update(existing, { definition, hash: viewHash(core), updated: core.now() });
        return viewResult(core, auth, existing);
      }
      const view = newView(core, { teamId: auth.team.id, userId, definition });
      core.store.views.publishHome(view);
      return viewResult(core, auth, view);
    },
  },
];
