import { App, type CustomRoute, HTTPReceiver, LogLevel } from "@slack/bolt";
import type { Services } from "../services.js";
import { registerActions } from "./actions/index.js";
import { createAssistant } from "./assistant.js";
import { registerSlashCommand } from "./commands/index.js";
import { acknowledgeEventsAfterPersisting } from "./durable-ack.js";
import { traceSlackEvents } from "./event-spans.js";
import { registerConnectButtonAction } from "./home/accounts.js";
import { publishHome, registerHome } from "./home/index.js";
import { registerMemoryActions } from "./home/memories.js";
import { registerInstallationEvents, slackOAuthOptions } from "./install.js";
import { registerMessageListeners } from "./listeners/messages.js";
import { redactingFetch } from "./redacting-fetch.js";
import { refuseSkewedTimestamps } from "./request-freshness.js";

/**
 * The Slack edge: Bolt with its HTTP receiver on POST /slack/events (events, interactivity and slash
 * commands), or Socket Mode when SLACK_APP_TOKEN is set. Listeners only validate, persist and enqueue.
 * With SLACK_CLIENT_ID/SECRET the app installs into many workspaces (GET /slack/install, see
 * install.ts) and Bolt authorizes each request with that workspace's token from Postgres; otherwise
 * SLACK_BOT_TOKEN serves one workspace.
 */
export function createSlackApp(services: Services, customRoutes: CustomRoute[]): App {
  const { config } = services;
  const oauth = slackOAuthOptions(services, services.installations);
  // Bolt's clients (the `client` of every listener) redact what they send, like ours (./clients.ts).
  const clientOptions = { slackApiUrl: config.slack.apiUrl, fetch: redactingFetch(services.redact) };
  const common = {
    // Bolt refuses a token next to OAuth: the configured token is served by the installation store.
    token: oauth ? undefined : config.slack.botToken,
    logLevel: LogLevel.WARN,
    ignoreSelf: true,
    clientOptions,
  };
  const endpoints = ["/slack/events"];
  const receiver = config.slack.appToken
    ? undefined
    : new HTTPReceiver({
        signingSecret: config.slack.signingSecret,
        endpoints,
        customRoutes,
        logLevel: LogLevel.WARN,
        ...oauth,
        // The App adds clientOptions for receivers it builds itself; this one is built here.
        ...(oauth ? { installerOptions: { ...oauth.installerOptions, clientOptions } } : {}),
      });
  if (receiver) refuseSkewedTimestamps(receiver, endpoints);
  const app = !receiver
    ? new App({
        ...common,
        ...oauth,
        socketMode: true,
        appToken: config.slack.appToken,
        signingSecret: config.slack.signingSecret,
        customRoutes,
        port: config.http.port,
      })
    : new App({ ...common, receiver });
  app.error(async (error) => {
    services.logger.error(
      { error: error.message, code: (error as { code?: string }).code },
      "slack listener error",
    );
    // Rethrown so an event whose listener failed is not acknowledged, and Slack delivers it again.
    throw error;
  });
  acknowledgeEventsAfterPersisting(app);
  traceSlackEvents(app, services);
  app.assistant(createAssistant(services));
  registerMessageListeners(app, services);
  registerActions(app, services);
  registerSlashCommand(app, services);
  registerHome(app, services);
  registerMemoryActions(app, services, (client, viewer) => publishHome(services, client, viewer));
  registerConnectButtonAction(app);
  if (oauth) registerInstallationEvents(app, oauth.installationStore);
  return app;
}
