import { identityClaims, idToken } from "../../openid.js";
import type { MethodDefinition } from "../definition.js";
import { SlackMethodError } from "../method-error.js";

/**
 * Sign in with Slack's Web API methods: openid.connect.token exchanges the authorize page's code
 * (../../openid.ts) for a user token and an id_token; openid.connect.userInfo answers who a user
 * token belongs to.
 */
const codeLifetimeMs = 10 * 60 * 1000;

export const openIdMethods: MethodDefinition[] = [
  {
    name: "openid.connect.token",
    auth: "none",
    handle(call) {
      const { core, args } = call;
      if (args.string("client_id") !== core.app.clientId) throw new SlackMethodError("invalid_client_id");
      if (args.string("client_secret") !== core.app.clientSecret)
        throw new SlackMethodError("bad_client_secret");
      const grantType = args.string("grant_type");
      if (grantType && grantType !== "authorization_code") throw new SlackMethodError("invalid_grant_type");
      const grant = core.openid.codes.get(args.requiredString("code"));
      if (!grant || grant.used || core.now() - grant.issuedAt > codeLifetimeMs) {
        throw new SlackMethodError("invalid_code");
      }
      const redirectUri = args.string("redirect_uri");
      if (redirectUri !== grant.redirectUri) throw new SlackMethodError("bad_redirect_uri");
      grant.used = true;
      const user = core.store.directory.user(grant.userId);
      if (!user) throw new SlackMethodError("user_not_found");
      const token = `xoxp-${core.ids.digits(12)}-${core.ids.digits(12)}-${core.ids.hex(32)}`;
      core.openid.tokens.set(token, { teamId: grant.teamId, userId: grant.userId, scopes: grant.scopes });
      return { access_token: token, token_type: "Bearer", id_token: idToken(core, grant, user) };
    },
  },
  {
    name: "openid.connect.userInfo",
    auth: "none",
    handle(call) {
      if (!call.bearerToken) throw new SlackMethodError("not_authed");
      const owner = call.core.openid.tokens.get(call.bearerToken);
      const user = owner ? call.core.store.directory.user(owner.userId) : undefined;
      if (!user) throw new SlackMethodError("invalid_auth");
      return identityClaims(call.core, user, owner?.scopes ?? []);
    },
  },
];
