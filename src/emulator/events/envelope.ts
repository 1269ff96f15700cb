import type { IdSource } from "../ids.js";
import type { BotInstall, JsonObject } from "../state/types.js";

export interface EnvelopeContext {
  appId: string;
  verificationToken: string;
  ids: IdSource;
  nowMs: number;
}

/**
 * The `event_callback` wrapper Slack puts around every Events API event: a fresh `event_id`,
 * `event_time` in seconds, and `authorizations` naming the installation the event is for.
 */
export function eventEnvelope(context: EnvelopeContext, install: BotInstall, event: JsonObject): JsonObject {
  return {
    token: context.verificationToken,
    team_id: install.teamId,
    context_team_id: install.teamId,
    context_enterprise_id: null,
    api_app_id: context.appId,
    event,
    type: "event_callback",
    event_id: context.ids.next("Ev", 10),
    event_time: Math.floor(context.nowMs / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: install.teamId,
        user_id: install.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    authed_users: [install.botUserId],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(`${install.teamId}:${context.appId}`).toString("base64url")}`,
  };
}
