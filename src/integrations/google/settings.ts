import type { Config } from "../../config/index.js";

/**
 * The Google OAuth client (a "Web application" client in Google Cloud) and where Google lives. In
 * production only the client id and secret are set; tests and local development point the
 * endpoints and the API root at a stand-in.
 */
export interface GoogleSettings {
  clientId: string;
  clientSecret: string;
  /** Where Google sends the person back; default `<PUBLIC_URL>/oauth/google/callback`. */
  redirectUrl?: string;
  /** One root URL for every Google API (a local stand-in); unset, each API uses its own. */
  apiRootUrl?: string;
  endpoints?: { authorize?: string; token?: string; revoke?: string };
  /** How long a connect link stays valid (default ten minutes). */
  linkLifetimeMs?: number;
}

/**
 * Sign in with Slack (OpenID Connect), which proves the browser following a connect link is the
 * Slack user it was made for. It uses the Slack app's own client id and secret (SLACK_CLIENT_ID,
 * SLACK_CLIENT_SECRET); without them no Google account can be connected.
 */
export interface SlackSignInSettings {
  clientId: string;
  clientSecret: string;
  /** `https://slack.com/openid/connect/authorize` (next to SLACK_API_URL). */
  authorizeUrl: string;
  /** `<PUBLIC_URL>/oauth/google/slack-callback`: add it to the Slack app's redirect URLs. */
  redirectUrl: string;
  /** SLACK_API_URL, for `openid.connect.token`. */
  apiUrl: string;
}

/** Settings with every default applied. */
export interface ResolvedGoogleSettings {
  clientId: string;
  clientSecret: string;
  publicUrl: string;
  redirectUrl: string;
  apiRootUrl: string | undefined;
  endpoints: { authorize: string; token: string; revoke: string };
  linkLifetimeMs: number;
  /** How long a person has between leaving Slack and coming back from Google. */
  flowLifetimeMs: number;
  /** Undefined when SLACK_CLIENT_ID/SLACK_CLIENT_SECRET are not set: connecting is then refused. */
  slackSignIn: SlackSignInSettings | undefined;
}

export const callbackPath = "/oauth/google/callback";
export const startPath = "/oauth/google/start";
export const slackCallbackPath = "/oauth/google/slack-callback";

export const googleEndpoints = {
  authorize: "https://accounts.google.com/o/oauth2/v2/auth",
  token: "https://oauth2.googleapis.com/token",
  revoke: "https://oauth2.googleapis.com/revoke",
};

export function resolveGoogleSettings(
  settings: GoogleSettings,
  publicUrl: string,
  slack: { clientId?: string; clientSecret?: string; apiUrl: string } = { apiUrl: "https://slack.com/api/" },
): ResolvedGoogleSettings {
  const base = publicUrl.replace(/\/+$/, "");
  return {
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    publicUrl: base,
    redirectUrl: settings.redirectUrl ?? `${base}${callbackPath}`,
    apiRootUrl: settings.apiRootUrl,
    endpoints: { ...googleEndpoints, ...settings.endpoints },
    linkLifetimeMs: settings.linkLifetimeMs ?? 10 * 60 * 1000,
    flowLifetimeMs: 10 * 60 * 1000,
    slackSignIn:
      slack.clientId && slack.clientSecret
        ? {
            clientId: slack.clientId,
            clientSecret: slack.clientSecret,
            // Slack's pages live next to its Web API: https://slack.com/api/ -> https://slack.com/openid/...
            authorizeUrl: new URL("../openid/connect/authorize", slack.apiUrl).toString(),
            redirectUrl: `${base}${slackCallbackPath}`,
            apiUrl: slack.apiUrl,
          }
        : undefined,
  };
}

/**
 * Google settings from the configuration (`config.google`, parsed from GOOGLE_* variables), or
 * undefined when Google is not configured.
 */
export function googleSettingsOf(config: Config): ResolvedGoogleSettings | undefined {
  const google = (config as Config & { google?: GoogleSettings }).google;
  if (!google?.clientId || !google.clientSecret) return undefined;
  return resolveGoogleSettings(google, config.http.publicUrl, config.slack);
}
