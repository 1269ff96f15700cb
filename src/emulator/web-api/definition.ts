import type { EmulatorCore } from "../core.js";
import type { BotInstall, Team } from "../state/types.js";
import type { MethodArguments } from "./arguments.js";

/** The authenticated caller: the app's bot in one workspace. */
export interface MethodAuth {
  team: Team;
  install: BotInstall;
  token: string;
}

export interface MethodCall {
  core: EmulatorCore;
  method: string;
  args: MethodArguments;
  /** Undefined only for methods declared `auth: "none"`. */
  auth: MethodAuth | undefined;
  /** The token the call came with (methods declared `auth: "none"` that take a user token). */
  bearerToken?: string;
}

/** A method's success fields; `ok: true` is added by the request handler. */
export type MethodResult = Record<string, unknown>;

export interface MethodDefinition {
  name: string;
  /** `none` for methods called without a token (oauth.v2.access). */
  auth?: "bot" | "none";
  handle(call: MethodCall): MethodResult | Promise<MethodResult>;
}

/** The caller's auth, for methods that require a token. */
export function authOf(call: MethodCall): MethodAuth {
  if (!call.auth) throw new Error(`${call.method} needs auth`);
  return call.auth;
}
