import type { ServerResponse } from "node:http";
import type { App, HTTPReceiverOptions } from "@slack/bolt";
import type { Config } from "../config/index.js";
import type { Logger } from "../logger.js";
import type { Sealer } from "../security/seal.js";
import { deriveKey } from "../security/signing.js";
import type { Database } from "../storage/database.js";
import {
  createInstallationStore,
  identifyBotToken,
  type WorkspaceInstallationStore,
} from "./installations.js";

/**
 * Installing the app into many workspaces (OAuth v2), when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are
 * set: GET /slack/install sends the person to Slack's authorize page with a signed state (also kept in
 * a cookie), Slack sends them back to /slack/oauth_redirect with a code, Bolt's InstallProvider
 * exchanges it (oauth.v2.access) and stores the install in Postgres (src/slack/installations.ts).
 * Bolt then authorizes every incoming request from that store, so each workspace gets its own token.
 */

/** Least privilege: docs/slack-app.md says why each one is needed. Kept equal to the manifests by a test. */
export const botScopes = [
  "app_mentions:read",
  "assistant:write",
  "channels:history",
  "channels:read",
  "chat:write",
  "commands",
  "files:read",
  "files:write",
  "groups:history",
  "groups:read",
  "im:history",
  "im:read",
  "im:write",
  "mpim:history",
  "mpim:read",
  "reactions:write",
  "users:read",
];

export const installPath = "/slack/install";
export const redirectPath = "/slack/oauth_redirect";

type InstallerOptions = NonNullable<HTTPReceiverOptions["installerOptions"]>;

export interface SlackOAuthOptions {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  scopes: string[];
  redirectUri: string;
  installationStore: WorkspaceInstallationStore;
  installerOptions: InstallerOptions;
}

export interface InstallDependencies {
  config: Config;
  database: Database;
  sealer: Sealer;
  logger: Logger;
  keys: { oauthState: Buffer };
}

/** Bolt's OAuth options (App or HTTPReceiver), or undefined in single-workspace mode. */
export function slackOAuthOptions(
  services: InstallDependencies,
  installationStore: WorkspaceInstallationStore = workspaceInstallations(services),
): SlackOAuthOptions | undefined {
  const { slack, http } = services.config;
  if (!slack.clientId || !slack.clientSecret) return undefined;
  return {
    clientId: slack.clientId,
    clientSecret: slack.clientSecret,
    // Bolt signs the state (a JWT) with this; its own key, derived from the OAuth-state key.
    stateSecret: deriveKey(services.keys.oauthState.toString("base64url"), "slack-install-state").toString(
      "base64url",
    ),
    scopes: [...botScopes],
    redirectUri: `${http.publicUrl.replace(/\/+$/, "")}${redirectPath}`,
    installationStore,
    installerOptions: {
      installPath,
      redirectUriPath: redirectPath,
      // /slack/install goes straight to Slack's consent page (no intermediate "Add to Slack" page).
      directInstall: true,
      authorizationUrl: authorizationUrl(slack.apiUrl),
      callbackOptions: {
        failure: (error, _options, _request, response) => {
          services.logger.warn({ code: error.code, error: error.message }, "slack install failed");
          installFailedPage(response, error.code);
        },
      },
    },
  };
}

/** The store Bolt and the workers read tokens from; the configured token serves its own workspace. */
export function workspaceInstallations(services: InstallDependencies): WorkspaceInstallationStore {
  const { botToken, apiUrl } = services.config.slack;
  return createInstallationStore({
    database: services.database,
    sealer: services.sealer,
    logger: services.logger,
    configured: botToken ? { botToken, identify: identifyBotToken({ apiUrl, botToken }) } : undefined,
  });
}

/** Slack's authorize page lives next to its Web API: https://slack.com/api/ -> https://slack.com/oauth/v2/authorize. */
export function authorizationUrl(apiUrl: string): string {
  return new URL("../oauth/v2/authorize", apiUrl).toString();
}

/** Uninstalls and revoked bot tokens forget the workspace's token (its tasks and history stay). */
export function registerInstallationEvents(app: App, store: WorkspaceInstallationStore): void {
  const forget = (teamId: string | undefined) =>
    store.deleteInstallation({ teamId, enterpriseId: undefined, isEnterpriseInstall: false });
  app.event("app_uninstalled", async ({ context, body }) => {
    await forget(context.teamId ?? body.team_id);
  });
  app.event("tokens_revoked", async ({ event, context, body }) => {
    if (event.tokens.bot?.length) await forget(context.teamId ?? body.team_id);
  });
}

const clientErrors = new Set([
  "slack_oauth_missing_state",
  "slack_oauth_invalid_state",
  "slack_oauth_missing_code",
]);

function installFailedPage(response: ServerResponse, code: string): void {
  const status = clientErrors.has(code) ? 400 : 500;
  response.writeHead(status, { "content-type": "text/html; charset=utf-8" });
  response.end(
    `<!doctype html><html><body style="font-family: sans-serif; text-align: center; padding: 2em">` +
      `<h2>Coworker could not be installed</h2><p>Reason: ${escapeHtml(code)}.</p>` +
      `<p><a href="${installPath}">Try again</a></p></body></html>`,
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
