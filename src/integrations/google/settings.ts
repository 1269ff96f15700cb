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
  /** How long a connect link stays valid (default one hour). */
  linkLifetimeMs?: number;
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
}

export const callbackPath = "/oauth/google/callback";
export const startPath = "/oauth/google/start";

export const googleEndpoints = {
  authorize: "https://accounts.google.com/o/oauth2/v2/auth",
  token: "https://oauth2.googleapis.com/token",
  revoke: "https://oauth2.googleapis.com/revoke",
};

export function resolveGoogleSettings(settings: GoogleSettings, publicUrl: string): ResolvedGoogleSettings {
  const base = publicUrl.replace(/\/+$/, "");
  return {
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    publicUrl: base,
    redirectUrl: settings.redirectUrl ?? `${base}${callbackPath}`,
    apiRootUrl: settings.apiRootUrl,
    endpoints: { ...googleEndpoints, ...settings.endpoints },
    linkLifetimeMs: settings.linkLifetimeMs ?? 60 * 60 * 1000,
    flowLifetimeMs: 10 * 60 * 1000,
  };
}

/**
 * Google settings from the configuration (`config.google`, parsed from GOOGLE_* variables), or
 * undefined when Google is not configured.
 */
export function googleSettingsOf(config: Config): ResolvedGoogleSettings | undefined {
  const google = (config as Config & { google?: GoogleSettings }).google;
  if (!google?.clientId || !google.clientSecret) return undefined;
  return resolveGoogleSettings(google, config.http.publicUrl);
}
