import { OAuth2Client } from "google-auth-library";
import type { ResolvedGoogleSettings } from "./settings.js";

/**
 * google-auth-library's OAuth2Client for our client and endpoints. It refreshes an access token that
 * has expired (by the stored expiry) before a call; a 401 for a token that should still be valid is
 * handled by the caller (client-factory.ts), so a 403 quota error never costs a refresh.
 */
export function createOAuthClient(settings: ResolvedGoogleSettings): OAuth2Client {
  return new OAuth2Client({
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    redirectUri: settings.redirectUrl,
    endpoints: {
      oauth2AuthBaseUrl: settings.endpoints.authorize,
      oauth2TokenUrl: settings.endpoints.token,
      oauth2RevokeUrl: settings.endpoints.revoke,
    },
  });
}
