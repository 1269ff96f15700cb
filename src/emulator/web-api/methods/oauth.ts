import { installApp } from "../../seed.js";
import type { Conversation } from "../../state/types.js";
import type { MethodDefinition } from "../definition.js";
import { SlackMethodError } from "../method-error.js";

/** oauth.v2.access: exchanges a code from the install flow for the workspace's bot token. */
export const oauthMethods: MethodDefinition[] = [
  {
    name: "oauth.v2.access",
    auth: "none",
    handle(call) {
      const { core, args } = call;
      const clientId = args.string("client_id");
      const clientSecret = args.string("client_secret");
      if (clientId !== core.app.clientId) throw new SlackMethodError("invalid_client_id");
      if (clientSecret !== core.app.clientSecret) throw new SlackMethodError("bad_client_secret");
      const code = args.requiredString("code");
      const grant = core.oauthGrants.get(code);
      if (!grant || grant.used) throw new SlackMethodError("invalid_code");
      const redirectUri = args.string("redirect_uri");
      if (grant.redirectUri && redirectUri && grant.redirectUri !== redirectUri) {
        throw new SlackMethodError("bad_redirect_uri");
      }
      grant.used = true;
      const channels = grant.joinChannelIds
        .map((id) => core.store.directory.conversation(id))
        .filter((channel): channel is Conversation => channel !== undefined);
      const install = installApp(core, grant.teamId, channels);
      const team = core.store.directory.team(grant.teamId);
      return {
        app_id: core.app.id,
        authed_user: { id: grant.userId },
        scope: install.scopes.join(","),
        token_type: "bot",
        access_token: install.token,
        bot_user_id: install.botUserId,
        team: { id: grant.teamId, name: team?.name },
        enterprise: null,
        is_enterprise_install: false,
      };
    },
  },
];
